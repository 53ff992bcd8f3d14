"""Hostile definitions through ``motcua procedures validate``, run as a designer runs it.

A YAML alias bomb, an anchor that contains itself and a condition nested too deep are refused
with ``file:line`` and exit 1; the subprocess timeout turns a hang into a failure."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from motcua.definitions import (
    MAX_CONDITION_LENGTH,
    MAX_CONDITION_NESTING,
    MAX_YAML_NODES,
    parse_condition,
)

from ._helpers import line_of, procedure, write

ROOT = Path(__file__).resolve().parents[2]
# A hang is far longer than this; a refusal, including the interpreter's start, far shorter.
TIMEOUT_SECONDS = 60


def validate(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "motcua.cli", "procedures", "validate", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
    )


def alias_bomb(levels: int = 13, fan_out: int = 9) -> str:
    """Each level is a list of ``fan_out`` aliases of the one before: fan_out**levels nodes."""
    lines = ["l0: &l0 [" + ", ".join(["lol"] * fan_out) + "]"]
    for level in range(1, levels):
        lines.append(f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * fan_out) + "]")
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_is_refused_without_expanding_it(tmp_path: Path) -> None:
    path = write(tmp_path, "bomb.yaml", "schema_version: 2\n" + alias_bomb())

    done = validate(path)

    assert done.returncode == 1, done.stdout + done.stderr
    # 10 + 91 + 820 + 7,381 nodes fit; the first alias of level 4 (line 6) crosses 10,000.
    assert MAX_YAML_NODES == 10_000
    assert done.stdout.splitlines() == [
        f"{path}:6: (document): the alias *l3 would expand the file past 10000 nodes: "
        "write the values out instead"
    ]


def test_a_few_aliases_are_still_fine(tmp_path: Path) -> None:
    def shared_sla(document: dict[str, Any]) -> None:
        sla = {"working_days": 1}
        document["steps"][1]["sla"] = document["steps"][2]["sla"] = sla  # dumped as an alias

    path = procedure(tmp_path, shared_sla)
    assert "*id001" in path.read_text()

    done = validate(path)

    assert done.returncode == 0, done.stdout + done.stderr


def test_an_anchor_that_contains_its_own_alias_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "loop.yaml", "code: &me\n  - *me\n")

    done = validate(path)

    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stdout.splitlines() == [
        f"{path}:2: (document): the alias *me refers to a node that contains it"
    ]


def _deep_fee_condition(depth: int) -> Any:
    def change(document: dict[str, Any]) -> None:
        condition = "(" * depth + "applicant.age < 6" + ")" * depth
        document["documents"][0]["required"] = condition

    return change


def test_a_condition_nested_160_deep_is_a_definition_error_naming_the_field(
    tmp_path: Path,
) -> None:
    path = procedure(tmp_path, _deep_fee_condition(160))

    done = validate(path)

    assert done.returncode == 1, done.stdout + done.stderr
    assert "RecursionError" not in done.stderr
    line = line_of(path, "required:")
    column = MAX_CONDITION_NESTING + 1
    assert done.stdout.splitlines() == [
        f"{path}:{line}: documents[0].required: the condition nests deeper than "
        f"{MAX_CONDITION_NESTING} levels at column {column}"
    ]


def test_a_condition_within_the_nesting_cap_still_validates(tmp_path: Path) -> None:
    path = procedure(tmp_path, _deep_fee_condition(MAX_CONDITION_NESTING))

    done = validate(path)

    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not " * 40 + "applicant.student", "nests deeper than"),
        ("[" * 40 + "1" + "]" * 40 + " == x", "nests deeper than"),
        (
            " or ".join(["applicant.student"] * (MAX_CONDITION_LENGTH // 10)),
            f"characters long, at most {MAX_CONDITION_LENGTH}",
        ),
    ],
)
def test_every_kind_of_nesting_and_length_is_capped(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_condition(text)
