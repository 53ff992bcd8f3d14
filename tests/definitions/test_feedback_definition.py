"""The definition fields the feedback procedure needs — ``outcome_sla`` and ``forward_to`` —
refuse a designer's mistake with a message that says how to fix it."""

from __future__ import annotations

from pathlib import Path

from motcua.definitions import validate_paths

from ._helpers import SAMPLES


def problems(tmp_path: Path, old: str, new: str) -> list[str]:
    text = (SAMPLES / "feedback.yaml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "feedback.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return [str(p) for p in validate_paths([path])]


def test_the_sample_is_valid(tmp_path: Path) -> None:
    assert problems(tmp_path, "code:", "code:") == []


def test_an_outcome_sla_for_an_outcome_the_step_does_not_offer(tmp_path: Path) -> None:
    found = problems(tmp_path, "      refuse: {working_days: 2}", "      reject: {working_days: 2}")
    assert len(found) == 1
    assert "outcome_sla names reject, not an outcome of this step" in found[0]
    assert "its outcomes: accept, request_supplement, refuse, forward" in found[0]


def test_forward_without_the_agencies_to_forward_to(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        "    forward_to: [commune-police, commune-business-office, social-insurance]\n",
        "",
    )
    assert len(found) == 1 and "list in forward_to the agencies" in found[0]
