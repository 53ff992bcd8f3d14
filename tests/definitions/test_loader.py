"""Loading definitions: problems point at the file and line of the YAML node."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from motcua.definitions import (
    Bundle,
    DefinitionError,
    Problem,
    Procedure,
    load_catalog,
    load_definition,
    upgrade,
)

from ._helpers import SAMPLES, line_of, procedure, write


def _problems(path: Path) -> list[Problem]:
    with pytest.raises(DefinitionError) as caught:
        load_definition(path)
    return caught.value.problems


def test_valid_procedure_loads(tmp_path: Path) -> None:
    loaded = load_definition(procedure(tmp_path))
    assert isinstance(loaded, Procedure)
    assert [s.id for s in loaded.steps] == ["receive", "review", "approve", "result"]


def test_malformed_yaml_reports_file_and_line(tmp_path: Path) -> None:
    path = write(
        tmp_path, "broken.yaml", "schema_version: 2\ncode: '1.000001'\nname: [a, b\nx: 1\n"
    )
    [problem] = _problems(path)
    assert problem.file == str(path)
    assert problem.line == 4  # where the parser found ':' instead of ',' or ']'
    assert str(problem).startswith(f"{path}:{problem.line}: (document): invalid YAML")


def test_duplicate_key_reports_its_line(tmp_path: Path) -> None:
    [problem] = _problems(write(tmp_path, "dup.yaml", "code: a\nversion: 1\ncode: b\n"))
    assert problem.line == 3
    assert "duplicate key" in problem.message


def test_wrong_field_reports_its_exact_line(tmp_path: Path) -> None:
    def negative_sla(document: dict[str, Any]) -> None:
        document["steps"][2]["sla"] = {"working_days": -1}

    path = procedure(tmp_path, negative_sla)
    [problem] = _problems(path)
    line = line_of(path, "working_days: -1")
    assert str(problem) == (
        f"{path}:{line}: steps[2].sla.working_days: Input should be greater than 0"
    )


def test_missing_field_points_at_the_step(tmp_path: Path) -> None:
    def no_role(document: dict[str, Any]) -> None:
        del document["steps"][1]["role"]

    path = procedure(tmp_path, no_role)
    [problem] = _problems(path)
    assert problem.path == "steps[1].role"
    assert problem.message == "Field required"
    assert problem.line == line_of(path, "id: review")


def test_extra_field_is_rejected(tmp_path: Path) -> None:
    def colour(document: dict[str, Any]) -> None:
        document["steps"][1]["colour"] = "blue"

    path = procedure(tmp_path, colour)
    [problem] = _problems(path)
    assert (problem.path, problem.line) == ("steps[1].colour", line_of(path, "colour: blue"))
    assert "Extra inputs are not permitted" in problem.message


def test_model_validator_message_is_reported(tmp_path: Path) -> None:
    def two_spans(document: dict[str, Any]) -> None:
        document["steps"][0]["sla"] = {"working_days": 1, "working_hours": 2}

    [problem] = _problems(procedure(tmp_path, two_spans))
    assert problem.path == "steps[0].sla"
    assert problem.message.startswith("give exactly one of")


def test_bad_condition_is_one_problem_naming_the_column(tmp_path: Path) -> None:
    def bad_condition(document: dict[str, Any]) -> None:
        document["documents"][0]["required"] = "applicant.age <"

    [problem] = _problems(procedure(tmp_path, bad_condition))
    assert problem.path == "documents[0].required"
    assert "at column 16" in problem.message


def test_unknown_step_kind(tmp_path: Path) -> None:
    def teleport(document: dict[str, Any]) -> None:
        document["steps"][1]["kind"] = "teleport"

    [problem] = _problems(procedure(tmp_path, teleport))
    assert problem.path == "steps[1]"
    assert "teleport" in problem.message


def test_top_level_must_be_a_mapping(tmp_path: Path) -> None:
    [problem] = _problems(write(tmp_path, "list.yaml", "- a\n- b\n"))
    assert problem.path == "(document)"


def test_bundle_kind_loads_a_bundle() -> None:
    assert isinstance(load_definition(SAMPLES / "bundle_birth_group1.yaml"), Bundle)


V1 = """\
schema_version: 1
code: "9.000002"
name: {vi: "Cũ", en: "Old"}
version: 1
agency: commune-pc
level: commune
legal_basis: ["Old basis"]
deadline_days: 4
channels: [online]
fee: 5000
steps:
  - {id: receive, kind: receipt, role: one-stop-officer}
  - {id: fee, kind: payment}
  - {id: review, kind: review, role: civil-status-officer}
  - {id: sign, kind: approval, role: chairman, four_eyes_with: review}
  - {id: result, kind: result, result_type: paper, result_type_code: PP, delivery: [post]}
"""


def test_schema_v1_is_upgraded(tmp_path: Path) -> None:
    loaded = load_definition(write(tmp_path, "old.yaml", V1))
    assert isinstance(loaded, Procedure)
    assert loaded.deadline.working_days == 4
    assert loaded.fee is not None and (loaded.fee.online, loaded.fee.counter) == (5000, 5000)
    assert loaded.step("sign").four_eyes_with == ["review"]  # type: ignore[union-attr]


def test_v1_problem_points_at_the_old_key(tmp_path: Path) -> None:
    path = write(tmp_path, "old.yaml", V1.replace("deadline_days: 4", "deadline_days: -4"))
    [problem] = _problems(path)
    assert (problem.line, problem.path) == (8, "deadline.working_days")
    # Untouched nodes keep their lines.
    path = write(tmp_path, "old2.yaml", V1.replace("kind: payment", "kind: payment, extra: 1"))
    [problem] = _problems(path)
    assert (problem.line, problem.path) == (13, "steps[1].extra")


def test_upgrade_rejects_unknown_versions() -> None:
    with pytest.raises(ValueError, match="newer than this motcua supports"):
        upgrade({"schema_version": 3})
    with pytest.raises(ValueError, match="schema_version is required"):
        upgrade({})
    with pytest.raises(ValueError, match="unknown schema_version 0"):
        upgrade({"schema_version": 0})


def test_upgrade_does_not_modify_its_input() -> None:
    document = {"schema_version": 1, "deadline_days": 3, "fee": 10}
    assert upgrade(document) == {
        "schema_version": 2,
        "deadline": {"working_days": 3},
        "fee": {"online": 10, "counter": 10},
    }
    assert document == {"schema_version": 1, "deadline_days": 3, "fee": 10}


def test_too_new_schema_is_a_problem_at_schema_version(tmp_path: Path) -> None:
    path = write(tmp_path, "new.yaml", "# header\nschema_version: 9\ncode: x\n")
    [problem] = _problems(path)
    assert (problem.line, problem.path) == (2, "schema_version")


def test_catalog_collects_every_problem(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", "a: [1\n")
    write(tmp_path, "b.yaml", "schema_version: 2\n")
    procedure(tmp_path, name="good.yaml")
    with pytest.raises(DefinitionError) as caught:
        load_catalog(tmp_path)
    files = {Path(p.file).name for p in caught.value.problems}
    assert files == {"a.yaml", "b.yaml"}
    catalog = load_catalog(tmp_path, strict=False)
    assert catalog.latest("9.000001").code == "9.000001"


def test_catalog_versions_and_duplicates(tmp_path: Path) -> None:
    procedure(tmp_path, name="v1.yaml")
    procedure(tmp_path, lambda d: d.update(version=2), name="v2.yaml")
    procedure(tmp_path, lambda d: d.update(version=2), name="v2_again.yaml")
    catalog = load_catalog(tmp_path, strict=False)
    assert catalog.latest("9.000001").version == 2
    assert catalog.get("9.000001", 1).version == 1
    [duplicate] = catalog.problems
    assert duplicate.file.endswith("v2_again.yaml")
    assert "also defined in" in duplicate.message and "v2.yaml" in duplicate.message
    with pytest.raises(KeyError):
        catalog.get("9.000001", 3)


def test_sample_catalog_has_registry_and_sources() -> None:
    catalog = load_catalog(SAMPLES)
    assert catalog.registry is not None
    assert catalog.registry.agency("commune-pc").code == "000.00.01.H29"
    birth = catalog.latest("1.001193")
    source = catalog.source(birth)
    assert source.file.endswith("birth_registration.yaml")
    assert source.line(("steps", 0)) == line_of(Path(source.file), "- id: receive")
    assert catalog.bundle("3.000722").members[0].procedure == "1.001193"
