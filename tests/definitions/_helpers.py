"""Small builders for definition files written into ``tmp_path``."""

from __future__ import annotations

import copy
import shutil
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from motcua.definitions import Problem, validate_paths

SAMPLES = Path(__file__).resolve().parents[2] / "procedure_defs"

BASE: dict[str, Any] = {
    "schema_version": 2,
    "code": "9.000001",
    "name": {"vi": "Thủ tục thử", "en": "Test procedure"},
    "version": 1,
    "agency": "commune-pc",
    "level": "commune",
    "legal_basis": ["Test basis"],
    "deadline": {"working_days": 5},
    "channels": ["online", "counter"],
    "documents": [{"id": "form", "name": "Form"}],
    "steps": [
        {
            "id": "receive",
            "kind": "receipt",
            "role": "one-stop-officer",
            "sla": {"working_hours": 8},
        },
        {
            "id": "review",
            "kind": "review",
            "role": "civil-status-officer",
            "sla": {"working_days": 2},
        },
        {
            "id": "approve",
            "kind": "approval",
            "role": "chairman",
            "sla": {"working_days": 1},
            "four_eyes_with": ["review"],
        },
        {
            "id": "result",
            "kind": "result",
            "result_type": "certificate",
            "result_type_code": "XX",
            "delivery": ["e_data_store"],
        },
    ],
}


def dump(document: dict[str, Any]) -> str:
    """Block-style YAML text of ``document`` (one key per line, so lines are predictable)."""
    stream = StringIO()
    yaml = YAML()
    yaml.default_flow_style = False
    yaml.dump(document, stream)
    return stream.getvalue()


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def procedure(
    directory: Path,
    change: Callable[[dict[str, Any]], None] | None = None,
    name: str = "test.yaml",
) -> Path:
    """Write the valid ``BASE`` procedure, first passed through ``change``."""
    document = copy.deepcopy(BASE)
    if change is not None:
        change(document)
    return write(directory, name, dump(document))


def line_of(path: Path, text: str, occurrence: int = 1) -> int:
    """1-based line of the ``occurrence``-th line of ``path`` that contains ``text``."""
    found = [i for i, line in enumerate(path.read_text().splitlines(), 1) if text in line]
    return found[occurrence - 1]


def birth_versions(directory: Path) -> None:
    """Birth registration 1 (as shipped), 2 in force since 2026-01-01 without the chairman's
    approval, and 3, a draft (no effective_from) that only rewords the English name; with the
    registry, so ``directory`` is a catalog."""
    shutil.copy(SAMPLES / "registry.yaml", directory)
    text = (SAMPLES / "birth_registration.yaml").read_text(encoding="utf-8")
    write(directory, "birth_v1.yaml", text)
    approve = text.index("  - id: approve")
    second = text[:approve] + text[text.index("  - id: result") :]
    second = second.replace("version: 1", "version: 2\neffective_from: 2026-01-01")
    write(directory, "birth_v2.yaml", second)
    third = second.replace("version: 2\neffective_from: 2026-01-01", "version: 3")
    write(
        directory, "birth_v3.yaml", third.replace("Birth registration", "Registration of a birth")
    )


def versioned(number: int, effective_from: str | None) -> Callable[[dict[str, Any]], None]:
    """A ``change`` for :func:`procedure`: this version, taking effect on this day (if any)."""

    def change(document: dict[str, Any]) -> None:
        document["version"] = number
        if effective_from:
            document["effective_from"] = effective_from

    return change


def lint(directory: Path, change: Callable[[dict[str, Any]], None] | None) -> list[Problem]:
    """The problems of the ``BASE`` procedure, first passed through ``change``."""
    procedure(directory, change)
    return validate_paths([directory])


def only(problems: list[Problem]) -> tuple[str, str]:
    """The path and message of the one problem."""
    assert len(problems) == 1, problems
    return problems[0].path, problems[0].message


def step(document: dict[str, Any], step_id: str) -> dict[str, Any]:
    """The step ``step_id`` of a document being changed."""
    return next(s for s in document["steps"] if s["id"] == step_id)
