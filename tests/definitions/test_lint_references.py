"""The registry rule: agencies, roles, adapters and data sources must exist (each message lists
the valid names)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ._helpers import line_of, lint, only, step


def test_unknown_role(tmp_path: Path) -> None:
    problems = lint(tmp_path, lambda d: step(d, "review").update(role="wizard"))
    assert only(problems) == (
        "steps[1].role",
        "unknown role 'wizard' at agency 'commune-pc'; "
        "valid: one-stop-officer, civil-status-officer, chairman, feedback-officer",
    )
    assert problems[0].line == line_of(tmp_path / "test.yaml", "role: wizard")


def test_role_is_checked_at_the_steps_own_agency(tmp_path: Path) -> None:
    problems = lint(tmp_path, lambda d: step(d, "review").update(agency="commune-police"))
    path, message = only(problems)
    assert path == "steps[1].role"
    assert message.startswith("unknown role 'civil-status-officer' at agency 'commune-police'")


def test_unknown_agency(tmp_path: Path) -> None:
    path, message = only(lint(tmp_path, lambda d: d.update(agency="ministry-of-magic")))
    assert path == "agency" and message.startswith("unknown agency 'ministry-of-magic'; valid: ")
    path, message = only(lint(tmp_path, lambda d: step(d, "review").update(agency="nowhere")))
    assert path == "steps[1].agency" and message.startswith("unknown agency 'nowhere'")


def test_level_must_match_the_agency(tmp_path: Path) -> None:
    path, message = only(lint(tmp_path, lambda d: d.update(level="province")))
    assert path == "level" and "agency is 'commune' level" in message


def test_unknown_adapter(tmp_path: Path) -> None:
    def pigeon(d: dict[str, Any]) -> None:
        d["steps"].insert(
            1, {"id": "verify", "kind": "verify", "adapter": "pigeon", "checks": ["identity"]}
        )

    path, message = only(lint(tmp_path, pigeon))
    assert path == "steps[1].adapter" and message.startswith("unknown adapter 'pigeon'; valid: ")


def test_unknown_data_source(tmp_path: Path) -> None:
    problems = lint(tmp_path, lambda d: d["documents"][0].update(replaced_by="astrology"))
    path, message = only(problems)
    assert path == "documents[0].replaced_by"
    assert message.startswith("unknown data source 'astrology'; valid: ")


def test_unknown_consult_agency_and_role(tmp_path: Path) -> None:
    def consult(d: dict[str, Any]) -> None:
        branches = [
            {"id": "a", "agency": "land-registry", "role": "chairman", "question": "?"},
            {"id": "b", "agency": "atlantis", "role": "land-officer", "question": "?"},
        ]
        d["steps"].insert(1, {"id": "ask", "kind": "consult", "branches": branches})

    assert [(p.path, p.message.split(";")[0]) for p in lint(tmp_path, consult)] == [
        ("steps[1].branches[0].role", "unknown role 'chairman' at agency 'land-registry'"),
        ("steps[1].branches[1].agency", "unknown agency 'atlantis'"),
    ]
