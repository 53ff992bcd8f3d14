"""Each lint rule, on small definitions written into ``tmp_path``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from motcua.definitions import Problem, validate_paths

from ._helpers import BASE, dump, lint, only, procedure, step, write


def test_base_definition_is_clean(tmp_path: Path) -> None:
    assert lint(tmp_path, None) == []


def test_duplicate_step_id(tmp_path: Path) -> None:
    problems = lint(tmp_path, lambda d: step(d, "approve").update(id="review", four_eyes_with=[]))
    assert ("steps[2].id", "duplicate step id 'review'") in [(p.path, p.message) for p in problems]


def test_step_after_result_is_unreachable(tmp_path: Path) -> None:
    def after(d: dict[str, Any]) -> None:
        d["steps"].append({"id": "late", "kind": "payment"})

    found = [(p.path, p.message) for p in lint(tmp_path, after)]
    assert ("steps[4]", "unreachable step: comes after the result step") in found


def test_step_that_never_runs_is_unreachable(tmp_path: Path) -> None:
    problems = lint(tmp_path, lambda d: step(d, "review").update(when="false"))
    assert only(problems) == ("steps[1].when", "unreachable step: 'when' is never true")
    assert lint(tmp_path, lambda d: step(d, "review").update(when="1 > 2"))
    assert lint(tmp_path, lambda d: step(d, "review").update(when="form.x")) == []


def test_slas_past_the_deadline(tmp_path: Path) -> None:
    problems = lint(tmp_path, lambda d: step(d, "review").update(sla={"working_days": 4}))
    # 8 h + 32 h + 8 h = 48 h > 5 working days (40 h); reported where the sum crosses.
    assert only(problems) == (
        "steps[2].sla",
        "the SLAs add up to 6 working days (receive 1 working day, review 4 working days, "
        "approve 1 working day), past the statutory deadline of 5 working days: "
        "shorten them by 1 working day",
    )


def test_same_day_deadline_is_eight_hours(tmp_path: Path) -> None:
    def same_day(d: dict[str, Any]) -> None:
        d["deadline"] = {"same_day": True}
        d["steps"][0]["sla"] = {"working_hours": 2}
        d["steps"][1]["sla"] = {"working_hours": 4}
        d["steps"][2]["sla"] = {"working_hours": 2}

    def nine_hours(d: dict[str, Any]) -> None:
        same_day(d)
        d["steps"][2]["sla"] = {"working_hours": 3}

    assert lint(tmp_path, same_day) == []
    path, message = only(lint(tmp_path, nine_hours))
    assert path == "steps[2].sla"
    assert message.startswith("the SLAs add up to 9 working hours (receive 2 working hours, ")
    assert message.endswith(
        "past the statutory deadline of 1 working day: shorten them by 1 working hour"
    )


def test_consult_counts_its_slowest_branch(tmp_path: Path) -> None:
    def consult(d: dict[str, Any]) -> None:
        branches = [
            {
                "id": "a",
                "agency": "land-registry",
                "role": "land-officer",
                "question": "?",
                "sla": {"working_days": 1},
            },
            {
                "id": "b",
                "agency": "land-registry",
                "role": "land-officer",
                "question": "?",
                "sla": {"working_days": 2},
            },
        ]
        d["steps"].insert(1, {"id": "ask", "kind": "consult", "branches": branches})

    # 8 + 16 (slowest branch) + 16 + 8 = 48 h > 40 h
    assert only(lint(tmp_path, consult))[0] == "steps[3].sla"


def test_population_document_needs_a_verify_step(tmp_path: Path) -> None:
    problems = lint(tmp_path, lambda d: d["documents"][0].update(replaced_by="population"))
    assert only(problems) == (
        "documents[0].replaced_by",
        "document replaced by population but no verify step consults it: add "
        "{id: verify, kind: verify, adapter: population, checks: [identity]} before the review",
    )

    def with_verify(d: dict[str, Any]) -> None:
        d["documents"][0]["replaced_by"] = "population"
        d["steps"].insert(1, {"id": "verify", "kind": "verify", "checks": ["identity"]})

    assert lint(tmp_path, with_verify) == []


def test_payment_step_on_a_free_procedure(tmp_path: Path) -> None:
    payment = {"id": "pay", "kind": "payment"}
    problems = lint(tmp_path, lambda d: d["steps"].insert(1, payment))
    assert only(problems) == ("steps[1]", "payment step on a free procedure")

    def zero_fee(d: dict[str, Any]) -> None:
        d["fee"] = {"online": 0, "counter": 0}
        d["steps"].insert(1, payment)

    assert only(lint(tmp_path, zero_fee)) == ("steps[1]", "payment step on a free procedure")


def test_fee_without_payment_step(tmp_path: Path) -> None:
    problems = lint(tmp_path, lambda d: d.update(fee={"online": 10000, "counter": 20000}))
    assert only(problems) == ("fee", "fee on a procedure with no payment step")


def test_four_eyes_references(tmp_path: Path) -> None:
    problems = lint(tmp_path, lambda d: step(d, "approve").update(four_eyes_with=["approve"]))
    assert only(problems) == ("steps[2].four_eyes_with[0]", "four_eyes_with names the step itself")
    problems = lint(tmp_path, lambda d: step(d, "approve").update(four_eyes_with=["ghost"]))
    assert only(problems) == (
        "steps[2].four_eyes_with[0]",
        "four_eyes_with names a missing step 'ghost'",
    )
    problems = lint(tmp_path, lambda d: step(d, "approve").update(four_eyes_with=["result"]))
    assert only(problems)[1] == "four_eyes_with names 'result', not a human step"


def test_condition_fields_must_be_under_known_roots(tmp_path: Path) -> None:
    def conditions(d: dict[str, Any]) -> None:
        d["documents"][0]["required"] = "citizen.age > 3"
        step(d, "review")["when"] = "age > 3 or form.ok"

    problems = lint(tmp_path, conditions)
    assert [(p.path, p.message.split(":")[0]) for p in problems] == [
        ("documents[0].required", "condition reads 'citizen.age'"),
        ("steps[1].when", "condition reads 'age'"),
    ]
    assert "applicant., form., dossier." in problems[0].message


def test_receipt_must_be_the_first_human_step(tmp_path: Path) -> None:
    def swap(d: dict[str, Any]) -> None:
        d["steps"][0], d["steps"][1] = d["steps"][1], d["steps"][0]

    assert only(lint(tmp_path, swap)) == ("steps[0]", "receipt must be the first human step")
    assert only(lint(tmp_path, lambda d: d["steps"].pop(0))) == ("steps", "no receipt step")


def test_exactly_one_result_step(tmp_path: Path) -> None:
    assert only(lint(tmp_path, lambda d: d["steps"].pop())) == ("steps", "no result step")

    def two(d: dict[str, Any]) -> None:
        d["steps"].append(dict(d["steps"][-1], id="again"))

    assert ("steps[4]", "more than one result step") in [
        (p.path, p.message) for p in lint(tmp_path, two)
    ]


BUNDLE = """\
schema_version: 2
kind: bundle
code: "9.000009"
name: {{vi: "Gói", en: "Bundle"}}
version: 1
lead_agency: commune-pc
legal_basis: ["Decree 63/2024/NĐ-CP"]
deadline: {{working_days: 3}}
channels: [online]
members:
  - {{id: first, procedure: "9.000001", after: [{first_after}]}}
  - {{id: second, procedure: "{second}", after: [{second_after}]}}
"""


def _bundle(
    tmp_path: Path, second: str = "9.000001", first_after: str = "", second_after: str = "first"
) -> list[Problem]:
    procedure(tmp_path)
    text = BUNDLE.format(second=second, first_after=first_after, second_after=second_after)
    write(tmp_path, "bundle.yaml", text)
    return validate_paths([tmp_path])


def test_valid_bundle(tmp_path: Path) -> None:
    assert _bundle(tmp_path) == []


def test_bundle_member_with_unknown_procedure(tmp_path: Path) -> None:
    problems = _bundle(tmp_path, second="1.999999")
    assert only(problems) == ("members[1].procedure", "unknown procedure code '1.999999'")
    assert problems[0].line == 12


def test_bundle_after_names_a_missing_member(tmp_path: Path) -> None:
    problems = _bundle(tmp_path, second_after="zeroth")
    assert only(problems) == ("members[1].after[0]", "'after' names a missing member 'zeroth'")


def test_bundle_cycle(tmp_path: Path) -> None:
    path, message = only(_bundle(tmp_path, first_after="second"))
    assert path.startswith("members[") and path.endswith("].after")
    assert message.startswith("cycle in 'after': ")
    assert "first" in message and "second" in message


def test_validating_one_file_still_knows_its_siblings(tmp_path: Path) -> None:
    _bundle(tmp_path)
    assert validate_paths([tmp_path / "bundle.yaml"]) == []


def test_problems_are_sorted_and_only_for_requested_files(tmp_path: Path) -> None:
    procedure(tmp_path, lambda d: d.update(agency="nowhere"), name="b.yaml")
    procedure(
        tmp_path,
        lambda d: d.update(code="9.000002", fee={"online": 1, "counter": 1}),
        name="a.yaml",
    )
    problems = validate_paths([tmp_path])
    assert [Path(p.file).name for p in problems] == ["a.yaml", "b.yaml"]
    assert [Path(p.file).name for p in validate_paths([tmp_path / "b.yaml"])] == ["b.yaml"]


def test_registry_problems_are_reported(tmp_path: Path) -> None:
    procedure(tmp_path)
    write(tmp_path, "registry.yaml", dump({"agencies": {}, "adapters": {}, "extra": 1}))
    registry = str(tmp_path / "registry.yaml")
    assert [str(p) for p in validate_paths([tmp_path])] == [
        f"{registry}:1: data_sources: Field required",
        f"{registry}:3: extra: Extra inputs are not permitted",
    ]


def test_base_is_not_mutated() -> None:
    assert BASE["steps"][0]["id"] == "receive"
