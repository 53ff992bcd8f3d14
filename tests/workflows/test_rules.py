"""The rules behind the update validators, as pure functions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from motcua.definitions import Catalog
from motcua.dossier import Actor, DecisionInput, RuleViolation
from motcua.dossier.rules import OpenTask, check_decision, check_supplement

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)


def _review() -> OpenTask:
    return OpenTask(
        task_id="X/review-1",
        step_id="review",
        step_kind="review",
        role="residence-officer",
        agency="commune-police",
        outcomes=["approve", "reject", "request_supplement"],
        created_at=NOW,
    )


def _decision(outcome: str, missing: list[str] | None = None) -> DecisionInput:
    actor = Actor(id="minh", role="residence-officer", agency="commune-police")
    return DecisionInput(
        task_id="X/review-1", actor=actor, outcome=outcome, missing_documents=missing or []
    )


def test_a_reviewer_may_ask_for_supplements_only_within_the_window(catalog: Catalog) -> None:
    procedure = catalog.latest("1.004222")
    kwargs = {"procedure": procedure, "task": _review(), "deciders": {}, "now": NOW}
    decision = _decision("request_supplement", ["ct01"])
    check_decision(decision=decision, supplement_window_closes=NOW + timedelta(hours=1), **kwargs)
    with pytest.raises(RuleViolation, match="within 3 working days"):
        check_decision(
            decision=decision, supplement_window_closes=NOW - timedelta(hours=1), **kwargs
        )


def test_a_supplement_request_must_name_documents(catalog: Catalog) -> None:
    with pytest.raises(RuleViolation, match="must list the missing documents"):
        check_decision(
            procedure=catalog.latest("1.004222"),
            task=_review(),
            decision=_decision("request_supplement"),
            deciders={},
            now=NOW,
            supplement_window_closes=None,
        )


def test_a_supplement_must_be_complete() -> None:
    check_supplement(["ct01"], {"ct01", "photo"})
    with pytest.raises(RuleViolation, match="still missing: ct01"):
        check_supplement(["ct01"], set())
