"""The projector: idempotent event log, the dossier row as the fold of its events, side tables."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from motcua.dossier import DossierView, Event
from motcua.store import (
    DossierRow,
    EventRow,
    EvidenceRow,
    OutboxRow,
    PaymentRow,
    ProjectionError,
    ResultRow,
    TaskRow,
    allocate_dossier_code,
    get_dossier,
    get_dossier_by_workflow,
    list_events,
    list_tasks,
    project,
    session_factory,
)
from tests.store.factories import T0, Dossier


def _count(session: Session, table: type[EventRow] | type[OutboxRow]) -> int:
    return session.scalar(select(func.count()).select_from(table)) or 0


def _fold(events: list[Event]) -> DossierView:
    view = DossierView.start(events[0])
    for ev in events:
        view.apply(ev)
    return view


def test_projecting_a_batch_twice_logs_and_announces_it_once(engine: Engine) -> None:
    dossier = Dossier("D-1")
    batch = [dossier.submitted(), dossier.event("dossier.accepted", actor_id="officer-1")]
    factory = session_factory(engine)
    with factory.begin() as session:
        assert project(session, events=batch) == batch
    with factory.begin() as session:
        assert project(session, events=batch) == []
    with factory() as session:
        assert (_count(session, EventRow), _count(session, OutboxRow)) == (2, 2)
        assert list_events(session, "D-1") == batch  # typed, as they were projected


def test_an_overlapping_batch_returns_only_the_new_events(session: Session) -> None:
    dossier = Dossier("D-1")
    first, second = dossier.submitted(), dossier.event("dossier.accepted")
    assert project(session, events=[first]) == [first]
    # Out of order and with a duplicate inside the batch.
    assert project(session, events=[second, first, second]) == [second]
    assert _count(session, EventRow) == 2


def test_the_dossier_row_is_the_fold_of_its_events(engine: Engine) -> None:
    dossier = Dossier("D-1", channel="counter")
    due = T0 + timedelta(days=3)
    events = [
        dossier.submitted(bundle_id="B-7"),
        dossier.event("dossier.accepted", due_at=due),
        dossier.event("step.started", step_id="review", step_kind="review"),
        dossier.event("task.created", step_id="review", task_id="t-1",
                      task_agency="commune-police", role="residence-officer"),
        dossier.event("dossier.supplement_requested", step_id="review",
                      missing_documents=["ct01"], request_number=1),
    ]  # fmt: skip
    factory = session_factory(engine)
    with factory.begin() as session:
        project(session, events=events[:2])
    with factory.begin() as session:
        project(session, events=events[2:])
    with factory() as session:
        row = get_dossier(session, "D-1")
        assert row is not None
        assert (row.status, row.channel, row.current_step) == (
            "awaiting_supplement",
            "counter",
            "review",
        )
        assert (row.missing_documents, row.supplement_requests) == (["ct01"], 1)
        assert (row.due_at, row.waiting_for) == (due, "citizen: supplement")
        assert (row.submission_id, row.bundle_id) == ("sub-D-1", "B-7")
        # updated_at is the last event's time, not the projection's: a rebuild writes the same.
        assert (row.last_seq, row.updated_at, row.received_at) == (
            5,
            events[-1].occurred_at,
            T0 + timedelta(minutes=1),
        )
        assert row.view == _fold(events).model_dump(mode="json")


def test_the_waiting_for_of_an_open_task_names_its_holder(session: Session) -> None:
    dossier = Dossier("D-1")
    project(
        session,
        events=[
            dossier.submitted(),
            dossier.event("step.started", step_id="consult", step_kind="consult"),
            dossier.event("task.created", step_id="consult", task_id="t-1",
                          task_agency="district-justice", role="justice-officer"),
        ],
    )  # fmt: skip
    row = get_dossier_by_workflow(session, dossier.workflow_id)
    assert row is not None
    assert (row.status, row.waiting_for) == (
        "in_consultation",
        "officer: justice-officer@district-justice",
    )


def test_events_logged_out_of_order_still_fold_in_seq_order(engine: Engine) -> None:
    dossier = Dossier("D-1")
    submitted, accepted, started, completed = (
        dossier.submitted(),
        dossier.event("dossier.accepted", due_at=T0 + timedelta(days=1)),
        dossier.event("step.started", step_id="review", step_kind="review"),
        dossier.event("dossier.completed", timeliness="early"),
    )
    factory = session_factory(engine)
    for batch in ([submitted], [completed], [accepted, started]):
        with factory.begin() as session:
            project(session, events=batch)
    with factory() as session:
        row = get_dossier(session, "D-1")
        assert row is not None
        assert (row.status, row.timeliness, row.last_seq) == ("completed", "early", 4)
        assert row.accepted_at == accepted.occurred_at
        assert row.view == _fold([submitted, accepted, started, completed]).model_dump(mode="json")


def test_a_row_without_a_stored_fold_is_folded_again_from_the_log(engine: Engine) -> None:
    dossier = Dossier("D-1")
    first = [dossier.submitted(), dossier.event("dossier.accepted", due_at=T0 + timedelta(days=1))]
    factory = session_factory(engine)
    with factory.begin() as session:
        project(session, events=first)
        # As a row written before the fold was stored (migration 0003) looks.
        session.execute(update(DossierRow).values(view=None, status="submitted", due_at=None))
    later = dossier.event("step.started", step_id="review", step_kind="review")
    with factory.begin() as session:
        project(session, events=[later])
    with factory() as session:
        row = get_dossier(session, "D-1")
        assert row is not None
        assert (row.status, row.due_at) == ("in_review", T0 + timedelta(days=1))
        assert row.view == _fold([*first, later]).model_dump(mode="json")


def test_the_applicant_comes_from_the_code_allocation(engine: Engine) -> None:
    factory = session_factory(engine)
    with factory.begin() as session:
        code = allocate_dossier_code(
            session,
            submission_id="portal-42",
            agency_code="000.00.01.H29",
            received_on=date(2026, 1, 15),
            applicant_id="001203004567",
            workflow_id="dossier-portal-42",
        )
    dossier = Dossier(code)
    with factory.begin() as session:
        project(session, events=[dossier.submitted()])
    with factory.begin() as session:
        project(session, events=[dossier.event("dossier.accepted")])
    with factory() as session:
        row = get_dossier(session, code)
        assert row is not None
        assert (row.applicant_id, row.status, row.last_seq) == ("001203004567", "submitted", 2)
        # The personal ID is in no event.
        assert all("001203004567" not in str(e.model_dump()) for e in list_events(session, code))


def test_a_task_lifecycle_shows_in_the_inbox_until_decided(engine: Engine) -> None:
    dossier = Dossier("D-1")
    due = T0 + timedelta(days=2)
    task = {"task_id": "D-1:review:1", "task_agency": "commune-police"}
    created = dossier.event(
        "task.created",
        step_id="review",
        step_kind="review",
        due_at=due,
        role="residence-officer",
        outcomes=["approve", "reject", "request_supplement"],
        **task,
    )
    factory = session_factory(engine)
    with factory.begin() as session:
        project(session, events=[dossier.submitted(), created])
    with factory() as session:
        (row,) = list_tasks(session, agency="commune-police", role="residence-officer")
        assert (row.task_id, row.status, row.step_id) == ("D-1:review:1", "open", "review")
        assert row.outcomes == ["approve", "reject", "request_supplement"]
        assert (row.due_at, row.created_at) == (due, created.occurred_at)

    claimed = dossier.event("task.claimed", actor_id="officer-7", waited_seconds=5, **task)
    with factory.begin() as session:
        project(session, events=[claimed])
    with factory() as session:
        (row,) = list_tasks(session, role="residence-officer")
        assert (row.status, row.claimed_by) == ("claimed", "officer-7")
        assert list_tasks(session, role="residence-officer", status=["open"]) == []

    released = dossier.event("task.released", **task)
    decided = dossier.event(
        "task.decided", actor_id="officer-8", outcome="approve", duration_seconds=9, **task
    )
    with factory.begin() as session:
        project(session, events=[released])
        (row,) = list_tasks(session, status=["open"])
        assert row.claimed_by is None
    with factory.begin() as session:
        project(session, events=[decided])
    with factory() as session:
        assert list_tasks(session, role="residence-officer") == []
        (row,) = list_tasks(session, status=None)
        assert (row.status, row.outcome, row.decided_by) == ("decided", "approve", "officer-8")
        assert row.decided_at == decided.occurred_at


def test_a_task_held_by_another_agency_is_in_that_agencys_inbox(session: Session) -> None:
    dossier = Dossier("D-1", agency="commune-police")
    project(
        session,
        events=[
            dossier.event("task.created", task_id="C-1", task_agency="district-justice",
                          role="justice-officer", branch_id="justice"),
        ],
    )  # fmt: skip
    assert list_tasks(session, agency="commune-police") == []
    (task,) = list_tasks(session, agency="district-justice")
    assert (task.task_id, task.branch_id) == ("C-1", "justice")


def test_a_cancelled_task_leaves_the_inbox(session: Session) -> None:
    dossier = Dossier("D-1")
    task = {"task_id": "D-1:consult:police", "task_agency": "commune-police"}
    project(session, events=[dossier.event("task.created", role="police-officer", **task)])
    project(session, events=[dossier.event("task.cancelled", **task)])
    assert list_tasks(session) == []
    assert [t.task_id for t in list_tasks(session, status=["cancelled"])] == [task["task_id"]]
    # A claim arriving after the cancellation does not reopen the task.
    late = dossier.event("task.claimed", actor_id="x", waited_seconds=1, **task)
    project(session, events=[late])
    assert session.scalar(select(TaskRow.status)) == "cancelled"


def test_task_ids_must_be_unique_across_dossiers(session: Session) -> None:
    fields = {"task_id": "review", "task_agency": "commune-police", "role": "residence-officer"}
    project(session, events=[Dossier("D-1").event("task.created", **fields)])
    with pytest.raises(ProjectionError, match="unique across dossiers"):
        project(session, events=[Dossier("D-2").event("task.created", **fields)])


def test_payments_follow_the_fee_events(engine: Engine) -> None:
    dossier = Dossier("D-1")
    requested = dossier.event("fee.requested", reference="PAY-1", amount=10000)
    paid = dossier.event("fee.paid", reference="PAY-1", transaction_id="TX-9", amount=10000)
    duplicate_refunded = dossier.event(
        "fee.refunded", reference="PAY-1", transaction_id="TX-10", amount=10000,
        refund_id="RF-1", reason="duplicate",
    )  # fmt: skip
    refunded = dossier.event(
        "fee.refunded", reference="PAY-1", transaction_id="TX-9", amount=10000,
        refund_id="RF-2", reason="refused",
    )  # fmt: skip
    factory = session_factory(engine)

    def payment() -> tuple[object, ...]:
        with factory() as session:
            row = session.get(PaymentRow, "PAY-1")
            assert row is not None
            return (row.status, row.amount, row.currency, row.transaction_id, row.refunded_at)

    with factory.begin() as session:
        project(session, events=[requested])
    assert payment() == ("requested", 10000, "VND", None, None)
    with factory.begin() as session:
        project(session, events=[paid, duplicate_refunded])
    # The refund of a duplicate payment leaves the fee paid.
    assert payment() == ("paid", 10000, "VND", "TX-9", None)
    with factory.begin() as session:
        project(session, events=[refunded])
    assert payment() == ("refunded", 10000, "VND", "TX-9", refunded.occurred_at)


def test_a_payment_logged_before_its_request_stays_paid(session: Session) -> None:
    dossier = Dossier("D-1")
    requested = dossier.event("fee.requested", reference="PAY-1", amount=10000)
    paid = dossier.event("fee.paid", reference="PAY-1", transaction_id="TX-9", amount=10000)
    project(session, events=[paid])
    project(session, events=[requested])
    row = session.get(PaymentRow, "PAY-1")
    assert row is not None
    assert (row.status, row.requested_at, row.paid_at) == (
        "paid",
        requested.occurred_at,
        paid.occurred_at,
    )


def test_a_lapsed_dossier_lapses_its_requested_payment(session: Session) -> None:
    dossier = Dossier("D-1")
    project(session, events=[dossier.event("fee.requested", reference="PAY-1", amount=10000)])
    project(session, events=[dossier.event("dossier.lapsed", reference="PAY-1")])
    payment = session.get(PaymentRow, "PAY-1")
    assert payment is not None
    assert (payment.status, payment.currency) == ("lapsed", "VND")
    row = get_dossier(session, "D-1")
    assert row is not None and row.status == "lapsed"


def test_verification_stores_evidence(session: Session) -> None:
    dossier = Dossier("D-1")
    completed = dossier.event(
        "verification.completed", step_id="verify", evidence_id="EV-1", source="population",
        checks=["identity", "alive"], query_hash="q" * 64, response_hash="r" * 64, ok=True,
    )  # fmt: skip
    failed = dossier.event(
        "verification.failed", evidence_id="EV-2", source="population",
        checks=["relationship"], failed_checks=["relationship"], ok=False,
    )  # fmt: skip
    project(session, events=[completed, failed])
    first, second = session.get(EvidenceRow, "EV-1"), session.get(EvidenceRow, "EV-2")
    assert first is not None and second is not None
    assert (first.ok, first.checks, first.response_hash) == (True, ["identity", "alive"], "r" * 64)
    assert first.verified_at == completed.occurred_at
    assert (second.ok, second.query_hash) == (False, None)


def test_results_record_each_delivery_once(engine: Engine) -> None:
    dossier = Dossier("D-1")
    issued = dossier.event(
        "result.issued", result_id="RES-1", result_type="residence-confirmation",
        result_code="R-1", document_hash="h",
    )  # fmt: skip
    factory = session_factory(engine)
    with factory.begin() as session:
        project(
            session,
            events=[issued, dossier.event("result.delivered", result_id="RES-1", delivery="post")],
        )
    with factory.begin() as session:
        again = [
            dossier.event("result.delivered", result_id="RES-1", delivery="e_data_store"),
            dossier.event("result.delivered", result_id="RES-1", delivery="post"),
        ]
        project(session, events=again)
    with factory() as session:
        result = session.get(ResultRow, "RES-1")
        assert result is not None
        assert result.delivered_to == ["post", "e_data_store"]
        assert (result.result_type, result.issued_at) == (
            "residence-confirmation",
            issued.occurred_at,
        )
        row = get_dossier(session, "D-1")
        assert row is not None and row.result_code == "R-1"


def test_a_rebuild_sized_batch_is_inserted_in_chunks(session: Session) -> None:
    dossier = Dossier("D-1")
    batch = [dossier.event("deadline.set", minutes=0) for _ in range(1234)]
    assert len(project(session, events=batch)) == 1234
    assert project(session, events=batch) == []
    row = get_dossier(session, "D-1")
    assert row is not None and row.last_seq == 1234


def test_concurrent_batches_of_one_dossier_fold_every_event(engine: Engine) -> None:
    """Three activities projecting one dossier at once (e.g. the deadline watcher, a decision
    and a payment): whichever commits last, the row is the fold of all the events."""
    factory = session_factory(engine)
    errors: list[BaseException] = []
    for round_ in range(8):
        dossier = Dossier(f"D-{round_}")
        events = [
            dossier.submitted(),
            dossier.event("dossier.accepted", due_at=T0 + timedelta(days=1)),
            dossier.event("step.started", step_id="review", step_kind="review"),
            dossier.event("deadline.extended", due_at=T0 + timedelta(days=2), original_due_at=T0),
            dossier.event("fee.requested", step_id="fee", reference=f"P-{round_}", amount=5),
            dossier.event("fee.paid", reference=f"P-{round_}", transaction_id="T", amount=5),
            dossier.event("step.started", step_id="sign", step_kind="approval"),
        ]
        # Odd rounds race on the first insert of the row, even ones on an existing row.
        first, rest = ([], events) if round_ % 2 else (events[:1], events[1:])
        if first:
            with factory.begin() as session:
                project(session, events=first)
        start = threading.Barrier(3)

        def work(batch: list[Event], start: threading.Barrier = start) -> None:
            try:
                with factory.begin() as session:
                    start.wait()
                    project(session, events=batch)
            except BaseException as error:
                errors.append(error)

        third = len(rest) // 3
        batches = [rest[:third], rest[third : 2 * third], rest[2 * third :]]
        threads = [threading.Thread(target=work, args=(batch,)) for batch in batches]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert errors == []
        with factory() as session:
            row = get_dossier(session, dossier.code)
            assert row is not None
            assert row.view == _fold(events).model_dump(mode="json")
            assert (row.status, row.extended, row.paid, row.last_seq) == (
                "awaiting_approval",
                True,
                True,
                7,
            )
            payment = session.get(PaymentRow, f"P-{round_}")
            assert payment is not None and payment.status == "paid"
