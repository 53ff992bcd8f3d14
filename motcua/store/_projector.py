"""The projector: appends workflow events to the read model and applies their side tables.

Idempotent by event id (workflow id + sequence): a retried activity may project the same batch
again and nothing changes. Only activities call it; the caller commits.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import structlog
from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from motcua.dossier import DossierStatus, Event
from motcua.store._api_tables import OutboxRow
from motcua.store._tables import DossierRow, EventRow, EvidenceRow, PaymentRow, ResultRow, TaskRow

log = structlog.get_logger(__name__)

_TASK_FINAL = frozenset({"decided", "cancelled"})
# Events per INSERT: keeps a rebuild's batches under SQLite's bound-parameter limit.
_CHUNK = 500


class ProjectionError(ValueError):
    """An event lacks what the read model needs (a programming error: do not retry)."""


def project(
    session: Session,
    *,
    events: Sequence[Event],
    status: DossierStatus | None,
    applicant_id: str | None = None,
    submission_id: str | None = None,
    bundle_id: str | None = None,
) -> list[Event]:
    """Append events to the log, apply their side tables and refresh the dossier snapshot.

    Each event is inserted only if its ``event_id`` is new; only newly inserted events update
    the side tables (tasks, payments, evidence, results). The dossier row is written from
    ``status`` when there is no row yet, or when the newest seq among the given events of that
    dossier's workflow is above the row's ``last_seq`` (a stale snapshot never overwrites a
    newer one; with no events, an existing row is left alone). ``applicant_id``,
    ``submission_id`` and ``bundle_id`` are kept from earlier calls when passed as None.

    The session is flushed, never committed: the caller commits at the activity boundary.

    Args:
        session: a writing session (an activity's).
        events: events of one or more workflows, in any order; duplicates are ignored.
        status: the dossier's live status after these events, or None.
        applicant_id: the citizen's personal ID (so a citizen can list their dossiers).
        submission_id: the portal's idempotency key of the submission.
        bundle_id: the interconnected bundle the dossier belongs to.

    Returns:
        The events actually inserted by this call, in seq order (so that callers update
        metrics exactly once).

    Raises:
        ProjectionError: an event lacks a data key its type needs.
        NotImplementedError: the database is neither SQLite nor PostgreSQL.
    """
    unique = {e.event_id: e for e in events}
    ordered = sorted(unique.values(), key=lambda e: (e.workflow_id, e.seq))
    inserted = _insert_events(session, ordered)
    _announce(session, inserted)
    for ev in inserted:
        handler = _HANDLERS.get(ev.type)
        if handler is not None:
            handler(session, ev)
    if status is not None:
        last_seq = max((e.seq for e in ordered if e.workflow_id == status.workflow_id), default=0)
        _upsert_dossier(
            session,
            status,
            last_seq=last_seq,
            applicant_id=applicant_id,
            submission_id=submission_id,
            bundle_id=bundle_id,
        )
    session.flush()
    return inserted


def dialect_insert(session: Session) -> Any:
    """The dialect's ``insert``, which has ``on_conflict_do_nothing`` / ``_do_update``."""
    name = session.get_bind().dialect.name
    if name == "sqlite":
        return sqlite.insert
    if name == "postgresql":
        return postgresql.insert
    raise NotImplementedError(f"the read model supports sqlite and postgresql, not {name}")


def _insert_events(session: Session, events: list[Event]) -> list[Event]:
    if not events:
        return []
    insert = dialect_insert(session)
    # Only known columns: a field added to the Event contract does not break projection.
    columns = set(EventRow.__table__.c.keys())
    new_ids: set[str] = set()
    for start in range(0, len(events), _CHUNK):
        stmt = (
            insert(EventRow)
            .values([e.model_dump(include=columns) for e in events[start : start + _CHUNK]])
            .on_conflict_do_nothing()
            .returning(EventRow.event_id)
        )
        new_ids.update(session.scalars(stmt))
    return [e for e in events if e.event_id in new_ids]


def _announce(session: Session, events: list[Event]) -> None:
    """Put newly logged events in the outbox, in the same transaction, in seq order."""
    now = datetime.now(UTC)
    for start in range(0, len(events), _CHUNK):
        rows = [
            {
                "event_id": e.event_id,
                "workflow_id": e.workflow_id,
                "dossier_code": e.dossier_code,
                "seq": e.seq,
                "type": e.type,
                "agency": e.agency,
                "procedure_code": e.procedure_code,
                "created_at": now,
            }
            for e in events[start : start + _CHUNK]
        ]
        session.execute(dialect_insert(session)(OutboxRow).values(rows).on_conflict_do_nothing())


def _upsert_dossier(
    session: Session,
    status: DossierStatus,
    *,
    last_seq: int,
    applicant_id: str | None,
    submission_id: str | None,
    bundle_id: str | None,
) -> None:
    table = DossierRow.__table__
    values = status.model_dump(include=set(table.c.keys()))
    values |= {
        "applicant_id": applicant_id,
        "submission_id": submission_id,
        "bundle_id": bundle_id,
        "last_seq": last_seq,
        "updated_at": datetime.now(UTC),
    }
    stmt = dialect_insert(session)(DossierRow).values(values)
    kept = ("applicant_id", "submission_id", "bundle_id")
    update = {k: stmt.excluded[k] for k in values if k != "dossier_code" and k not in kept}
    update |= {k: func.coalesce(stmt.excluded[k], table.c[k]) for k in kept}
    upsert = stmt.on_conflict_do_update(
        index_elements=[table.c.dossier_code],
        set_=update,
        where=table.c.last_seq < stmt.excluded.last_seq,
    ).returning(DossierRow)
    # populate_existing refreshes a row this session already holds; a stale snapshot returns
    # nothing and changes nothing.
    session.scalars(upsert, execution_options={"populate_existing": True}).all()


def _need(ev: Event, *keys: str) -> list[Any]:
    missing = [k for k in keys if ev.data.get(k) is None]
    if missing:
        raise ProjectionError(f"event {ev.event_id} ({ev.type}) lacks data keys {missing}")
    return [ev.data[k] for k in keys]


def _exists(ev: Event, row: TaskRow | EvidenceRow | ResultRow | None, what: str) -> bool:
    """Whether a row the event would create exists: fine for its own dossier, a bug otherwise."""
    if row is None:
        return False
    if row.dossier_code != ev.dossier_code:
        raise ProjectionError(
            f"event {ev.event_id}: {what} already belongs to dossier {row.dossier_code}; "
            "ids must be unique across dossiers"
        )
    log.warning("store.row_exists", event_id=ev.event_id, type=ev.type, row=what)
    return True


def _task(session: Session, ev: Event) -> TaskRow | None:
    (task_id,) = _need(ev, "task_id")
    task = session.get(TaskRow, task_id)
    if task is None:
        log.warning("store.task_unknown", event_id=ev.event_id, type=ev.type, task_id=task_id)
    elif task.status in _TASK_FINAL:
        log.warning("store.task_final", event_id=ev.event_id, type=ev.type, task_id=task_id)
        return None
    return task


def _task_created(session: Session, ev: Event) -> None:
    task_id, role = _need(ev, "task_id", "role")
    if _exists(ev, session.get(TaskRow, task_id), f"task {task_id}"):
        return
    session.add(
        TaskRow(
            task_id=task_id,
            dossier_code=ev.dossier_code,
            workflow_id=ev.workflow_id,
            step_id=ev.step_id,
            branch_id=ev.data.get("branch_id"),
            role=role,
            agency=ev.data.get("agency") or ev.agency,
            outcomes=list(ev.data.get("outcomes") or []),
            status="open",
            created_at=ev.occurred_at,
            due_at=ev.due_at,
        )
    )


def _task_claimed(session: Session, ev: Event) -> None:
    if (task := _task(session, ev)) is not None:
        task.status = "claimed"
        task.claimed_by = ev.data.get("actor_id") or ev.actor_id
        task.claimed_at = ev.occurred_at


def _task_released(session: Session, ev: Event) -> None:
    if (task := _task(session, ev)) is not None:
        task.status = "open"
        task.claimed_by = None
        task.claimed_at = None


def _task_decided(session: Session, ev: Event) -> None:
    if (task := _task(session, ev)) is not None:
        task.status = "decided"
        task.decided_by = ev.data.get("actor_id") or ev.actor_id
        task.decided_at = ev.occurred_at
        task.outcome = ev.data.get("outcome") or ev.outcome


def _task_cancelled(session: Session, ev: Event) -> None:
    if (task := _task(session, ev)) is not None:
        task.status = "cancelled"


def _fee_requested(session: Session, ev: Event) -> None:
    reference, amount = _need(ev, "reference", "amount")
    payment = session.get(PaymentRow, reference)
    if payment is None:
        payment = PaymentRow(reference=reference, dossier_code=ev.dossier_code)
        session.add(payment)
    payment.amount = amount
    payment.currency = ev.data.get("currency") or "VND"
    payment.status = "requested"
    payment.requested_at = ev.occurred_at


def _fee_paid(session: Session, ev: Event) -> None:
    (reference,) = _need(ev, "reference")
    payment = session.get(PaymentRow, reference)
    if payment is None:
        # A confirmation whose request was not projected: record it all the same.
        (amount,) = _need(ev, "amount")
        payment = PaymentRow(
            reference=reference,
            dossier_code=ev.dossier_code,
            amount=amount,
            currency=ev.data.get("currency") or "VND",
        )
        session.add(payment)
    if payment.status == "refunded":
        return
    payment.status = "paid"
    payment.paid_at = ev.occurred_at
    payment.transaction_id = ev.data.get("transaction_id")
    if ev.data.get("amount") is not None:
        payment.amount = ev.data["amount"]


def _fee_refunded(session: Session, ev: Event) -> None:
    (reference,) = _need(ev, "reference")
    payment = session.get(PaymentRow, reference)
    if payment is None:
        log.warning("store.payment_unknown", event_id=ev.event_id, reference=reference)
        return
    payment.status = "refunded"
    payment.refunded_at = ev.occurred_at


def _dossier_lapsed(session: Session, ev: Event) -> None:
    query = select(PaymentRow).where(
        PaymentRow.dossier_code == ev.dossier_code, PaymentRow.status == "requested"
    )
    if ev.data.get("reference") is not None:
        query = query.where(PaymentRow.reference == ev.data["reference"])
    for payment in session.scalars(query):
        payment.status = "lapsed"


def _verification(session: Session, ev: Event) -> None:
    evidence_id, source = _need(ev, "evidence_id", "source")
    if _exists(ev, session.get(EvidenceRow, evidence_id), f"evidence {evidence_id}"):
        return
    session.add(
        EvidenceRow(
            evidence_id=evidence_id,
            dossier_code=ev.dossier_code,
            source=source,
            checks=ev.data.get("checks", []),
            query_hash=ev.data.get("query_hash"),
            response_hash=ev.data.get("response_hash"),
            verified_at=ev.occurred_at,
            ok=bool(ev.data.get("ok", ev.type == "verification.completed")),
        )
    )


def _result_issued(session: Session, ev: Event) -> None:
    result_id, result_type = _need(ev, "result_id", "result_type")
    if _exists(ev, session.get(ResultRow, result_id), f"result {result_id}"):
        return
    session.add(
        ResultRow(
            result_id=result_id,
            dossier_code=ev.dossier_code,
            result_type=result_type,
            issued_at=ev.occurred_at,
            delivered_to=[],
            document_hash=ev.data.get("document_hash"),
        )
    )


def _result_delivered(session: Session, ev: Event) -> None:
    (result_id,) = _need(ev, "result_id")
    channel = ev.data.get("channel") or ev.channel
    if channel is None:
        raise ProjectionError(f"event {ev.event_id} ({ev.type}) lacks data key 'channel'")
    result = session.get(ResultRow, result_id)
    if result is None:
        log.warning("store.result_unknown", event_id=ev.event_id, result_id=result_id)
        return
    if channel not in result.delivered_to:
        # A new list, so the JSON column is seen as changed.
        result.delivered_to = [*result.delivered_to, channel]


_HANDLERS: dict[str, Callable[[Session, Event], None]] = {
    "task.created": _task_created,
    "task.claimed": _task_claimed,
    "task.released": _task_released,
    "task.decided": _task_decided,
    "task.cancelled": _task_cancelled,
    "fee.requested": _fee_requested,
    "fee.paid": _fee_paid,
    "fee.refunded": _fee_refunded,
    "dossier.lapsed": _dossier_lapsed,
    "verification.completed": _verification,
    "verification.failed": _verification,
    "result.issued": _result_issued,
    "result.delivered": _result_delivered,
}
