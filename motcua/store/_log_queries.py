"""Reads of the event log: events come back typed, as the model of their ``type``
(`motcua.dossier.Event`), validated as they are read."""

from __future__ import annotations

import contextlib
from collections.abc import Collection, Iterator, Sequence
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import Connection, Engine, Select, select
from sqlalchemy.orm import Session

from motcua.dossier import EVENT_ADAPTER, Event
from motcua.store._tables import EventRow

EVENT_COLUMNS = [getattr(EventRow, column.key) for column in EventRow.__mapper__.column_attrs]
_EVENT_KEYS = [column.key for column in EventRow.__mapper__.column_attrs]


def typed_event(values: Sequence[Any]) -> Event:
    """A row of ``EVENT_COLUMNS`` as its typed event, ``data`` spread on the envelope (as
    `event_fields` does, without a mapping: building one cost more than validating the event)."""
    fields = dict(zip(_EVENT_KEYS, values, strict=True))
    fields.update(fields.pop("data") or {})
    return EVENT_ADAPTER.validate_python(fields)


def list_events(session: Session, dossier_code: str) -> list[Event]:
    """Return a dossier's events, typed, in the order they happened (by seq)."""
    query = (
        select(*EVENT_COLUMNS)
        .where(EventRow.dossier_code == dossier_code)
        .order_by(EventRow.seq, EventRow.event_id)
    )
    return [typed_event(row) for row in session.execute(query)]


def events_of_type(session: Session, event_type: str, *, agency: str | None = None) -> list[Event]:
    """Return every event of one type (``fee.mismatched``, …), typed, the oldest first."""
    query = select(*EVENT_COLUMNS).where(EventRow.type == event_type)
    if agency is not None:
        query = query.where(EventRow.agency == agency)
    query = query.order_by(EventRow.occurred_at, EventRow.event_id)
    return [typed_event(row) for row in session.execute(query)]


def workflow_events(session: Session, workflow_ids: Collection[str]) -> list[Event]:
    """Return the events of these workflows, typed, by workflow id and seq."""
    query = (
        select(*EVENT_COLUMNS)
        .where(EventRow.workflow_id.in_(list(workflow_ids)))
        .order_by(EventRow.workflow_id, EventRow.seq)
    )
    return [typed_event(row) for row in session.execute(query)]


def submitted_between(since: datetime | None, until: datetime | None) -> Select[str]:
    """The codes of the dossiers submitted in ``[since, until)``: filtering events by it keeps
    whole dossier histories."""
    started = select(EventRow.dossier_code).where(EventRow.type == "dossier.submitted")
    if since is not None:
        started = started.where(EventRow.occurred_at >= since)
    if until is not None:
        started = started.where(EventRow.occurred_at < until)
    return started


def iter_events(
    source: Session | Engine,
    *,
    order: Literal["dossier", "time"] = "dossier",
    agency: str | None = None,
    procedure_code: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    chunk: int = 5_000,
) -> Iterator[Event]:
    """Stream the event log for analysis and export, ``chunk`` rows per round trip.

    Args:
        source: A session or an engine of the read model.
        order: ``"dossier"``: grouped by dossier, each by ``(occurred_at, seq)``; ``"time"``:
            by ``(occurred_at, workflow_id, seq)``.
        agency: Only this agency's dossiers.
        procedure_code: Only this procedure's dossiers.
        since: Only dossiers submitted at or after this instant (whole histories).
        until: Only dossiers submitted before this instant (whole histories).
    """
    query = select(*EVENT_COLUMNS)
    if agency is not None:
        query = query.where(EventRow.agency == agency)
    if procedure_code is not None:
        query = query.where(EventRow.procedure_code == procedure_code)
    if since is not None or until is not None:
        query = query.where(EventRow.dossier_code.in_(submitted_between(since, until)))
    if order == "dossier":
        query = query.order_by(EventRow.dossier_code, EventRow.occurred_at, EventRow.seq)
    else:
        query = query.order_by(EventRow.occurred_at, EventRow.workflow_id, EventRow.seq)
    query = query.execution_options(yield_per=chunk)
    with contextlib.ExitStack() as stack:
        runner: Session | Connection = source if isinstance(source, Session) else source.connect()
        if isinstance(runner, Connection):
            stack.enter_context(runner)
        for row in runner.execute(query):
            yield typed_event(row)
