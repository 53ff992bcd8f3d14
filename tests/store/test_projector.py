"""The projector: idempotent event log, side tables, and the dossier snapshot."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from motcua.store import (
    EventRow,
    EvidenceRow,
    PaymentRow,
    ProjectionError,
    ResultRow,
    TaskRow,
    get_dossier,
    get_dossier_by_workflow,
    list_events,
    list_tasks,
    project,
    session_factory,
)
from tests.store.factories import T0, Dossier


def _count_events(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(EventRow)) or 0


def test_projecting_a_batch_twice_inserts_it_once(engine: Engine) -> None:
    dossier = Dossier("D-1")
    batch = [
        dossier.event("dossier.submitted", channel="online"),
        dossier.event("dossier.accepted", actor_id="officer-1"),
    ]
    factory = session_factory(engine)
    with factory() as session:
        assert project(session, events=batch, status=dossier.status("in_review")) == batch
        session.commit()
    with factory() as session:
        assert project(session, events=batch, status=dossier.status("in_review")) == []
        session.commit()
    with factory() as session:
        assert _count_events(session) == 2
        assert [row.to_event() for row in list_events(session, "D-1")] == batch


def test_an_overlapping_batch_returns_only_the_new_events(session: Session) -> None:
    dossier = Dossier("D-1")
    first = dossier.event("dossier.submitted")
    second = dossier.event("dossier.accepted")
    assert project(session, events=[first], status=None) == [first]
    # Out of order and with a duplicate inside the batch.
    assert project(session, events=[second, first, second], status=None) == [second]
    assert _count_events(session) == 2


def test_a_task_lifecycle_shows_in_the_inbox_until_decided(engine: Engine) -> None:
    dossier = Dossier("D-1")
    due = T0 + timedelta(days=2)
    created = dossier.event(
        "task.created",
        step_id="review",
        step_kind="review",
        due_at=due,
        data={
            "task_id": "D-1:review:1",
            "role": "residence-officer",
            "outcomes": ["approve", "reject", "request_supplement"],
        },
    )
    factory = session_factory(engine)
    with factory() as session:
        project(session, events=[created], status=dossier.status("in_review"))
        session.commit()
    with factory() as session:
        (task,) = list_tasks(session, agency="commune-police", role="residence-officer")
        assert (task.task_id, task.status, task.step_id) == ("D-1:review:1", "open", "review")
        assert task.outcomes == ["approve", "reject", "request_supplement"]
        assert task.due_at == due
        assert task.created_at == created.occurred_at

    claimed = dossier.event("task.claimed", actor_id="officer-7", data={"task_id": "D-1:review:1"})
    with factory() as session:
        project(session, events=[claimed], status=dossier.status("in_review"))
        session.commit()
    with factory() as session:
        (task,) = list_tasks(session, role="residence-officer")
        assert (task.status, task.claimed_by) == ("claimed", "officer-7")
        assert list_tasks(session, role="residence-officer", status=["open"]) == []

    released = dossier.event("task.released", data={"task_id": "D-1:review:1"})
    with factory() as session:
        project(session, events=[released], status=None)
        (task,) = list_tasks(session, status=["open"])
        assert task.claimed_by is None
        session.commit()

    decided = dossier.event(
        "task.decided",
        actor_id="officer-8",
        outcome="approve",
        data={"task_id": "D-1:review:1", "outcome": "approve", "actor_id": "officer-8"},
    )
    with factory() as session:
        project(session, events=[decided], status=dossier.status("awaiting_approval"))
        session.commit()
    with factory() as session:
        assert list_tasks(session, role="residence-officer") == []
        (task,) = list_tasks(session, status=None)
        assert (task.status, task.outcome, task.decided_by) == ("decided", "approve", "officer-8")
        assert task.decided_at == decided.occurred_at


def test_a_cancelled_task_leaves_the_inbox(session: Session) -> None:
    dossier = Dossier("D-1")
    data = {"task_id": "D-1:consult:police", "role": "police-officer", "branch_id": "police"}
    project(session, events=[dossier.event("task.created", data=data)], status=None)
    project(
        session,
        events=[dossier.event("task.cancelled", data={"task_id": "D-1:consult:police"})],
        status=None,
    )
    assert list_tasks(session) == []
    (task,) = list_tasks(session, status=["cancelled"])
    assert task.branch_id == "police"
    # A claim arriving after the cancellation does not reopen the task.
    late = dossier.event("task.claimed", actor_id="x", data={"task_id": "D-1:consult:police"})
    project(session, events=[late], status=None)
    assert session.get(TaskRow, "D-1:consult:police").status == "cancelled"  # type: ignore[union-attr]


def test_task_ids_must_be_unique_across_dossiers(session: Session) -> None:
    data = {"task_id": "review", "role": "residence-officer"}
    project(session, events=[Dossier("D-1").event("task.created", data=data)], status=None)
    with pytest.raises(ProjectionError, match="unique across dossiers"):
        project(session, events=[Dossier("D-2").event("task.created", data=data)], status=None)


def test_a_stale_snapshot_does_not_overwrite_a_newer_one(engine: Engine) -> None:
    dossier = Dossier("D-1")
    e1, e2, e3 = (
        dossier.event(t) for t in ("dossier.submitted", "dossier.accepted", "fee.exempted")
    )
    factory = session_factory(engine)
    with factory() as session:
        project(
            session,
            events=[e1, e2, e3],
            status=dossier.status("in_review", paid=True),
            applicant_id="001203004567",
            submission_id="portal-42",
        )
        session.commit()
    with factory() as session:
        # A retried activity from earlier in the run delivers its older snapshot late.
        assert project(session, events=[e1, e2], status=dossier.status("awaiting_payment")) == []
        session.commit()
    with factory() as session:
        row = get_dossier(session, "D-1")
        assert row is not None
        assert (row.status, row.paid, row.last_seq) == ("in_review", True, 3)

    e4 = dossier.event("dossier.completed")
    with factory() as session:
        project(
            session,
            events=[e4],
            status=dossier.status("completed", paid=True, timeliness="early", result_code="R1"),
        )
        session.commit()
    with factory() as session:
        row = get_dossier_by_workflow(session, dossier.workflow_id)
        assert row is not None
        assert (row.status, row.timeliness, row.last_seq) == ("completed", "early", 4)
        # Kept from the first call although later calls passed None.
        assert (row.applicant_id, row.submission_id) == ("001203004567", "portal-42")
        assert row.received_at == T0
        assert row.updated_at.tzinfo is not None


def test_the_snapshot_refreshes_a_row_the_session_holds(session: Session) -> None:
    dossier = Dossier("D-1")
    project(
        session, events=[dossier.event("dossier.submitted")], status=dossier.status("submitted")
    )
    held = get_dossier(session, "D-1")
    project(
        session,
        events=[dossier.event("dossier.accepted")],
        status=dossier.status("in_review", missing_documents=["ct01"], supplement_requests=1),
    )
    assert held is not None
    assert (held.status, held.missing_documents, held.supplement_requests) == (
        "in_review",
        ["ct01"],
        1,
    )


def test_payments_follow_the_fee_events(engine: Engine) -> None:
    dossier = Dossier("D-1")
    requested = dossier.event(
        "fee.requested", data={"reference": "PAY-1", "amount": 10000, "currency": "VND"}
    )
    paid = dossier.event(
        "fee.paid", data={"reference": "PAY-1", "transaction_id": "TX-9", "amount": 10000}
    )
    refunded = dossier.event("fee.refunded", data={"reference": "PAY-1"})
    factory = session_factory(engine)
    with factory() as session:
        project(session, events=[requested], status=None)
        session.commit()
        payment = session.get(PaymentRow, "PAY-1")
        assert payment is not None
        assert (payment.status, payment.amount, payment.requested_at) == (
            "requested",
            10000,
            requested.occurred_at,
        )
    with factory() as session:
        project(session, events=[paid], status=None)
        session.commit()
        payment = session.get(PaymentRow, "PAY-1")
        assert payment is not None
        assert (payment.status, payment.transaction_id, payment.paid_at) == (
            "paid",
            "TX-9",
            paid.occurred_at,
        )
    with factory() as session:
        project(session, events=[refunded, paid], status=None)
        session.commit()
        payment = session.get(PaymentRow, "PAY-1")
        assert payment is not None
        assert (payment.status, payment.refunded_at) == ("refunded", refunded.occurred_at)


def test_a_lapsed_dossier_lapses_its_requested_payment(session: Session) -> None:
    dossier = Dossier("D-1")
    project(
        session,
        events=[
            dossier.event("fee.requested", data={"reference": "PAY-1", "amount": 10000}),
            dossier.event("dossier.lapsed"),
        ],
        status=dossier.status("lapsed"),
    )
    payment = session.get(PaymentRow, "PAY-1")
    assert payment is not None
    assert (payment.status, payment.currency) == ("lapsed", "VND")


def test_verification_stores_evidence(session: Session) -> None:
    dossier = Dossier("D-1")
    completed = dossier.event(
        "verification.completed",
        step_id="verify",
        data={
            "evidence_id": "EV-1",
            "source": "population",
            "checks": ["identity", "alive"],
            "query_hash": "q" * 64,
            "response_hash": "r" * 64,
            "ok": True,
        },
    )
    failed = dossier.event(
        "verification.failed",
        data={"evidence_id": "EV-2", "source": "population", "checks": ["relationship"]},
    )
    project(session, events=[completed, failed], status=None)
    first, second = session.get(EvidenceRow, "EV-1"), session.get(EvidenceRow, "EV-2")
    assert first is not None and second is not None
    assert (first.ok, first.checks, first.response_hash) == (True, ["identity", "alive"], "r" * 64)
    assert first.verified_at == completed.occurred_at
    assert (second.ok, second.query_hash) == (False, None)


def test_results_record_each_delivery_once(engine: Engine) -> None:
    dossier = Dossier("D-1")
    issued = dossier.event(
        "result.issued",
        data={"result_id": "RES-1", "result_type": "residence-confirmation", "document_hash": "h"},
    )
    factory = session_factory(engine)
    with factory() as session:
        project(
            session,
            events=[
                issued,
                dossier.event("result.delivered", data={"result_id": "RES-1", "channel": "post"}),
            ],
            status=None,
        )
        session.commit()
    with factory() as session:
        project(
            session,
            events=[
                dossier.event(
                    "result.delivered", data={"result_id": "RES-1", "channel": "e_data_store"}
                ),
                dossier.event("result.delivered", data={"result_id": "RES-1", "channel": "post"}),
            ],
            status=None,
        )
        session.commit()
    with factory() as session:
        result = session.get(ResultRow, "RES-1")
        assert result is not None
        assert result.delivered_to == ["post", "e_data_store"]
        assert (result.result_type, result.issued_at) == (
            "residence-confirmation",
            T0 + timedelta(minutes=1),
        )


def test_an_event_missing_its_data_keys_is_a_projection_error(session: Session) -> None:
    dossier = Dossier("D-1")
    with pytest.raises(ProjectionError, match=r"fee.requested.*'amount'"):
        project(
            session, events=[dossier.event("fee.requested", data={"reference": "P"})], status=None
        )


def test_a_rebuild_sized_batch_is_inserted_in_chunks(session: Session) -> None:
    dossier = Dossier("D-1")
    batch = [dossier.event("deadline.set", minutes=0) for _ in range(1234)]
    assert len(project(session, events=batch, status=dossier.status())) == 1234
    assert project(session, events=batch, status=None) == []
    row = get_dossier(session, "D-1")
    assert row is not None and row.last_seq == 1234
