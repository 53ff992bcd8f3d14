"""A dossier's timeline line: officers see every fact of an event's type, citizens those meant
for them, by name."""

from __future__ import annotations

from datetime import timedelta

from motcua.api._portal_models import timeline_entry
from tests.store.factories import T0, Dossier, every_event_type


def test_a_citizen_sees_the_facts_meant_for_them_and_an_officer_every_fact() -> None:
    dossier = Dossier("D-1")
    fee = dossier.event(
        "fee.requested", step_id="fee", reference="PAY-1", amount=15000,
        expires_at=T0 + timedelta(days=2),
    )  # fmt: skip
    delivered = dossier.event(
        "result.delivered", result_id="RES-1", delivery="post", tracking="EMS-1",
        actor_id="postman-3", actor_role="post",
    )  # fmt: skip
    task = dossier.event("task.created", task_id="t-1", task_agency="police", role="officer")

    citizen = timeline_entry(fee, officer=False).details
    assert citizen == {
        "reference": "PAY-1",
        "amount": 15000,
        "currency": "VND",
        "expires_at": "2026-01-17T02:00:00Z",
    }
    line = timeline_entry(delivered, officer=False)
    assert (line.details, line.actor) == ({"delivery": "post", "tracking": "EMS-1"}, "post")
    assert timeline_entry(task, officer=False).details == {}

    officer = timeline_entry(delivered, officer=True)
    assert officer.actor == "postman-3"
    assert officer.details == {"result_id": "RES-1", "delivery": "post", "tracking": "EMS-1"}
    assert timeline_entry(task, officer=True).details == {
        "task_id": "t-1",
        "task_agency": "police",
        "role": "officer",
        "branch_id": None,
        "outcomes": [],
    }


def test_no_citizen_line_shows_an_agency_id_or_a_hash() -> None:
    hidden = ("task_id", "ticket_id", "evidence_id", "query_hash", "transaction_id", "refund_id")
    for event in every_event_type():
        details = timeline_entry(event, officer=False).details
        assert not set(details) & set(hidden), event.type
        assert "h" * 64 not in str(details)
