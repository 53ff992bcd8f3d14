"""The projector: appends typed events to the log and folds them into the projections.

Idempotent by event id (workflow id + sequence): a retried activity may project the same batch
again and nothing changes. Only activities call it; the caller commits. Every projection — the
dossier rows (:mod:`._dossier_fold`) and the side tables (:mod:`._side_tables`) — is a function
of the log alone, so `rebuild_projections` writes the same tables again.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from motcua.dossier import Event, event_row
from motcua.store._api_tables import OutboxRow
from motcua.store._db import prepared
from motcua.store._dossier_fold import fold_dossiers
from motcua.store._rows import table_of
from motcua.store._side_tables import SideTables
from motcua.store._tables import EventRow

_EVENTS = table_of(EventRow)
_OUTBOX = table_of(OutboxRow)


def project(session: Session, *, events: Sequence[Event]) -> list[Event]:
    """Append events to the log, announce them in the outbox and fold them into the projections.

    Each event is inserted only if its ``event_id`` is new, and only newly inserted events are
    announced and folded: into their dossier's row (the fold of its events, `DossierView`) and
    into the side tables (tasks, payments, evidence, results). The dossier row's
    ``applicant_id`` comes from the dossier code's allocation record, not from an event.

    The session is neither flushed nor committed: the caller commits at the activity boundary.
    Statements are Core statements, run on the session's connection: ORM rows the session
    already holds are neither flushed first nor refreshed.

    Args:
        session: a writing session (an activity's).
        events: events of one or more workflows, in any order; duplicates are ignored.

    Returns:
        The events actually inserted by this call, by workflow and seq (so that callers update
        metrics exactly once).

    Raises:
        ProjectionError: an event would create a task, evidence or result another dossier has.
        NotImplementedError: the database is neither SQLite nor PostgreSQL.
    """
    unique = {e.event_id: e for e in events}
    ordered = sorted(unique.values(), key=lambda e: (e.workflow_id, e.seq))
    connection = session.connection()
    inserted = _insert_events(connection, ordered)
    _announce(connection, inserted)
    apply_events(session, inserted)
    return inserted


def apply_events(session: Session, events: Sequence[Event]) -> None:
    """Fold events that are in the log into the dossier rows and the side tables.

    Args:
        session: a writing session whose transaction's log holds ``events``.
        events: sorted by workflow id and seq; each applied once (the caller makes sure).
    """
    if not events:
        return
    # Dossier rows first: on PostgreSQL their row locks serialise two batches of one dossier.
    fold_dossiers(session, events)
    connection = session.connection()
    tables = SideTables.load(connection, events)
    for ev in events:
        tables.apply(ev)
    tables.write(connection)


def _insert_events(connection: Connection, events: list[Event]) -> list[Event]:
    if not events:
        return []
    # One statement with a list of rows: compiled once and cached, sent as multi-row INSERTs.
    stmt = prepared(connection, _insert_events_statement)
    new_ids = set(connection.execute(stmt, [event_row(e) for e in events]).scalars())
    return [e for e in events if e.event_id in new_ids]


def _announce(connection: Connection, events: list[Event]) -> None:
    """Put newly logged events in the outbox, in the same transaction, in seq order."""
    if not events:
        return
    now = datetime.now(UTC)
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
        for e in events
    ]
    connection.execute(prepared(connection, _announce_statement), rows)


def _insert_events_statement(insert: Any) -> Any:
    return insert(_EVENTS).on_conflict_do_nothing().returning(_EVENTS.c.event_id)


def _announce_statement(insert: Any) -> Any:
    return insert(_OUTBOX).on_conflict_do_nothing()
