"""Reads and writes of the audit: which dossiers to check, their rows, a day's chain heads, the
anchors. The rows are read as they are, whatever an attacker made of them: the audit decides."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from motcua.dossier import Event
from motcua.store._audit_tables import AnchorRow
from motcua.store._log_queries import EVENT_COLUMNS, typed_event
from motcua.store._rows import chunks
from motcua.store._tables import DossierCodeRow, EventRow


@dataclass(frozen=True)
class AuditedDossier:
    """A dossier to check: its code and the workflow that holds its chain."""

    dossier_code: str
    workflow_id: str


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The UTC instants a day of the audit runs from and to (the anchors use UTC days)."""
    start = datetime.combine(day, time(), tzinfo=UTC)
    return start, start + timedelta(days=1)


def audited_dossiers(
    session: Session, *, dossier_code: str | None = None, since: date | None = None
) -> list[AuditedDossier]:
    """The dossiers the log has rows of or the code allocations name (so that a dossier whose
    rows were all deleted is still checked), by code; only ``dossier_code``, or only those
    with an event or an allocation on or after ``since``."""
    from_log = select(EventRow.dossier_code, EventRow.workflow_id).distinct()
    allocated = select(DossierCodeRow.code, DossierCodeRow.workflow_id).where(
        DossierCodeRow.workflow_id.is_not(None)
    )
    if dossier_code is not None:
        from_log = from_log.where(EventRow.dossier_code == dossier_code)
        allocated = allocated.where(DossierCodeRow.code == dossier_code)
    if since is not None:
        start, _ = day_bounds(since)
        recent = select(EventRow.workflow_id).where(EventRow.occurred_at >= start)
        from_log = from_log.where(EventRow.workflow_id.in_(recent))
        allocated = allocated.where(
            or_(DossierCodeRow.day >= since, DossierCodeRow.workflow_id.in_(recent))
        )
    # An inserted row may name the dossier with another workflow id: one entry per code, the
    # allocation's workflow first, and the chain check sees every row of the code.
    allocations = {code: wf for code, wf in session.execute(allocated) if wf is not None}
    logged: dict[str, str] = {}
    for code, workflow_id in sorted(session.execute(from_log).all()):
        logged.setdefault(code, workflow_id)
    codes = sorted(set(allocations) | set(logged))
    return [AuditedDossier(code, allocations.get(code) or logged[code]) for code in codes]


@dataclass(frozen=True)
class AuditRows:
    """A dossier's rows up to the first that is no valid event (an attacker's edit may leave
    one that no event type accepts), and that row's seq."""

    events: list[Event]
    unreadable_seq: int | None = None


def dossier_rows(session: Session, dossier_code: str) -> AuditRows:
    """Every row of the log that names ``dossier_code``, typed, by seq."""
    return _read(session, EventRow.dossier_code == dossier_code)


def workflow_rows(session: Session, workflow_id: str) -> AuditRows:
    """Every row of the log that names ``workflow_id``, typed, by seq."""
    return _read(session, EventRow.workflow_id == workflow_id)


def _read(session: Session, where: ColumnElement[bool]) -> AuditRows:
    query = select(*EVENT_COLUMNS, EventRow.seq).where(where).order_by(EventRow.seq)
    events: list[Event] = []
    for *values, seq in session.execute(query):
        try:
            events.append(typed_event(values))
        except ValidationError:
            return AuditRows(events, unreadable_seq=seq)
    return AuditRows(events)


def chain_hashes(session: Session, event_ids: list[str]) -> dict[str, str]:
    """The chain hash each of these events has in the log (events without one are left out)."""
    found: dict[str, str] = {}
    for part in chunks(event_ids):
        query = select(EventRow.event_id, EventRow.chain_hash).where(
            EventRow.event_id.in_(part), EventRow.chain_hash.is_not(None)
        )
        found.update({event_id: digest for event_id, digest in session.execute(query) if digest})
    return found


def day_heads(session: Session, day: date) -> list[tuple[str, str, int]]:
    """``(dossier code, workflow id, seq)`` of each dossier's last event on ``day``."""
    start, end = day_bounds(day)
    query = (
        select(EventRow.dossier_code, EventRow.workflow_id, func.max(EventRow.seq))
        .where(EventRow.occurred_at >= start, EventRow.occurred_at < end)
        .group_by(EventRow.dossier_code, EventRow.workflow_id)
        .order_by(EventRow.workflow_id)
    )
    return [(code, wf, seq) for code, wf, seq in session.execute(query)]


def get_anchor(session: Session, day: date) -> AnchorRow | None:
    return session.get(AnchorRow, day)


def list_anchors(session: Session, *, since: date | None = None) -> list[AnchorRow]:
    query = select(AnchorRow).order_by(AnchorRow.day)
    if since is not None:
        query = query.where(AnchorRow.day >= since)
    return list(session.scalars(query))


def add_anchor(
    session: Session,
    *,
    day: date,
    root: str,
    leaves: list[Any],
    receipt: dict[str, Any] | None,
) -> AnchorRow:
    """Insert a day's anchor (the caller commits); anchors are never updated."""
    row = AnchorRow(day=day, root=root, leaves=leaves, made_at=datetime.now(UTC), receipt=receipt)
    session.add(row)
    return row
