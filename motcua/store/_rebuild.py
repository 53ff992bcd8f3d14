"""Rebuilding the projections from the event log alone (``motcua store rebuild``).

The dossier rows and the side tables (tasks and their counts, payments, evidence, results) are
deleted and folded again from the events, a page of workflows at a time, so memory stays
bounded however long the log is. The log itself, the dossier-code allocations (the applicant's
personal ID lives there) and the API's own tables — outbox, deliveries, subscriptions,
submission keys, uploads, callback nonces — are kept.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from motcua.store._log_queries import workflow_events
from motcua.store._projector import apply_events
from motcua.store._rows import table_of
from motcua.store._tables import (
    DossierRow,
    EventRow,
    EvidenceRow,
    PaymentRow,
    ResultRow,
    TaskCountRow,
    TaskRow,
)

PROJECTIONS = tuple(
    table_of(m) for m in (DossierRow, TaskRow, TaskCountRow, PaymentRow, EvidenceRow, ResultRow)
)
"""The tables a rebuild drops and writes again."""


@dataclass(frozen=True)
class RebuildReport:
    """What a rebuild read and wrote."""

    events: int
    workflows: int
    rows: dict[str, int]  # projection table -> rows after the rebuild


def rebuild_projections(session: Session, *, workflows_per_batch: int = 200) -> RebuildReport:
    """Delete every projection and fold it again from the event log, in the caller's
    transaction (the caller commits; readers see the old tables until then).

    On PostgreSQL the projections are locked against writes first: a projection running
    meanwhile waits for the commit and then continues the rebuilt rows. On SQLite the write
    transaction already excludes every other writer.

    Args:
        session: a writing session.
        workflows_per_batch: the workflows whose events are read and folded together.

    Returns:
        The counts of events and workflows read and of rows written per table.
    """
    if session.get_bind().dialect.name == "postgresql":
        names = ", ".join(t.name for t in PROJECTIONS)
        session.execute(text(f"LOCK TABLE {names} IN EXCLUSIVE MODE"))
    for table in PROJECTIONS:
        session.execute(delete(table))
    events = workflows = 0
    after: str | None = None
    while page := _next_workflows(session, after, workflows_per_batch):
        batch = workflow_events(session, page)
        apply_events(session, batch)
        events, workflows, after = events + len(batch), workflows + len(page), page[-1]
    rows = {t.name: session.scalar(select(func.count()).select_from(t)) or 0 for t in PROJECTIONS}
    return RebuildReport(events=events, workflows=workflows, rows=rows)


def _next_workflows(session: Session, after: str | None, limit: int) -> list[str]:
    query = select(EventRow.workflow_id).distinct().order_by(EventRow.workflow_id).limit(limit)
    if after is not None:
        query = query.where(EventRow.workflow_id > after)
    return list(session.scalars(query))
