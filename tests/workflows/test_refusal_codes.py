"""Each refused command names its rule by a code, next to the kind that decides 409 or 422."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from motcua.definitions import Catalog
from motcua.dossier import Actor, DecisionInput, RuleViolation, refusal_code, refusal_kind
from motcua.dossier.rules import OpenTask, check_decision

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
SIGN = OpenTask(
    task_id="X/sign-1",
    step_id="sign",
    step_kind="approval",
    role="police-chief",
    agency="commune-police",
    outcomes=["approve", "reject"],
    created_at=NOW,
    four_eyes_with=["review"],
)


def _refusal(catalog: Catalog, outcome: str, deciders: dict[str, list[str]]) -> RuleViolation:
    actor = Actor(id="minh", role="police-chief", agency="commune-police")
    decision = DecisionInput(task_id="X/sign-1", actor=actor, outcome=outcome)
    with pytest.raises(RuleViolation) as refused:
        check_decision(
            procedure=catalog.latest("1.004222"),
            task=SIGN,
            decision=decision,
            deciders=deciders,
            now=NOW,
            supplement_window_closes=None,
        )
    return refused.value


@pytest.mark.parametrize(
    ("outcome", "deciders", "code"),
    [
        ("approve", {"review": ["minh"]}, "four_eyes"),
        ("accept", {}, "outcome_not_offered"),
    ],
)
def test_a_refusal_travels_with_its_kind_and_its_code(
    catalog: Catalog, outcome: str, deciders: dict[str, list[str]], code: str
) -> None:
    refused = _refusal(catalog, outcome, deciders)
    # What a client receives: the failure's type and details.
    assert refused.type == "InvalidCommand" and refused.details == (code,)
    assert refusal_kind(refused.type) == "invalid"
    assert refusal_code(refused.type, refused.details) == code


def test_an_unknown_code_falls_back_to_the_kind() -> None:
    assert refusal_code("StateConflict", ("something-else",)) == "conflict"
    assert refusal_code(None, ()) == "conflict"
