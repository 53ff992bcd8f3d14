"""The dossier rows: each the fold of its dossier's events (`DossierView`), never a snapshot
sent by the workflow, so the row is whatever the log says and a rebuild writes it again.

A batch continues the fold stored in ``dossiers.view`` when its events follow the view's
``last_seq``; otherwise (events logged out of order, a gap, a row written before the view was
stored) the dossier is folded again from the whole log, which already holds the batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby
from operator import attrgetter
from typing import Any, NamedTuple

from sqlalchemy import Connection, bindparam, select, update
from sqlalchemy.orm import Session

from motcua.dossier import DossierStatus, DossierView, Event
from motcua.store._db import prepared
from motcua.store._log_queries import workflow_events
from motcua.store._rows import KeyLookup, table_of
from motcua.store._tables import DossierCodeRow, DossierRow

_DOSSIERS = table_of(DossierRow)
_CODES = table_of(DossierCodeRow)
_SNAPSHOT = sorted(set(DossierStatus.model_fields) & set(_DOSSIERS.c.keys()))


def fold_dossiers(session: Session, events: Sequence[Event]) -> None:
    """Fold newly logged events into their dossiers' rows.

    One SELECT reads the rows of every workflow in the batch (locked on PostgreSQL, so that
    two batches of one dossier fold one after the other); new rows are inserted with one
    statement, the others updated with one executemany.

    Args:
        session: a writing session; the events are already in its transaction's log.
        events: newly logged events, sorted by workflow id and seq.
    """
    batches = {wf: list(evs) for wf, evs in groupby(events, key=attrgetter("workflow_id"))}
    connection = session.connection()
    stored = _stored_views(connection, sorted(batches))
    new: list[DossierView] = []
    changed: list[DossierView] = []
    for workflow_id, batch in batches.items():
        view = _continue(stored, workflow_id, batch)
        if view is None:
            # A new dossier's fold starts with its first event; any other starts from the log.
            fresh = workflow_id not in stored and batch[0].seq == 1
            view = _fold(batch if fresh else workflow_events(session, [workflow_id]))
        (changed if workflow_id in stored else new).append(view)
    # A stored row already holds its applicant (from the code's allocation record): only new
    # rows and rows stored without one look it up again.
    applicants = {
        view.dossier_code: stored[view.workflow_id].applicant_id
        for view in changed
        if stored[view.workflow_id].applicant_id is not None
    }
    changed += _insert(session, connection, new)
    _update(connection, changed, applicants)


class _Stored(NamedTuple):
    view: dict[str, Any] | None
    applicant_id: str | None


def _stored_views(connection: Connection, workflow_ids: list[str]) -> dict[str, _Stored]:
    rows = _STORED_VIEWS.rows(connection, workflow_ids)
    return {key: _Stored(view, applicant) for key, view, applicant in rows}


def _continue(
    stored: dict[str, _Stored], workflow_id: str, batch: list[Event]
) -> DossierView | None:
    """The stored view with the batch applied, or None when the dossier must be folded again."""
    if workflow_id not in stored:
        return None
    data = stored[workflow_id].view
    if data is None:
        return None
    view = DossierView.model_validate(data)
    if batch[0].seq != view.last_seq + 1:
        return None
    for ev in batch:
        view.apply(ev)
    return view


def _fold(events: Sequence[Event]) -> DossierView:
    view = DossierView.start(events[0])
    for ev in events:
        view.apply(ev)
    return view


def _insert(
    session: Session, connection: Connection, views: list[DossierView]
) -> list[DossierView]:
    """Insert new dossier rows; returns the views of rows another transaction inserted first,
    folded again from the log (which now holds that transaction's events too)."""
    if not views:
        return []
    applicants = _applicants(connection, [v.dossier_code for v in views])
    rows = []
    for view in views:
        applicant = applicants.get(view.dossier_code)
        rows.append(_values(view, applicant) | {"applicant_id": applicant})
    inserted = set(connection.execute(prepared(connection, _insert_statement), rows).scalars())
    raced = [v.workflow_id for v in views if v.dossier_code not in inserted]
    # Lock those rows before reading the log, so that a third batch folding them meanwhile
    # commits first and its events are read too.
    _stored_views(connection, raced)
    return [_fold(workflow_events(session, [wf])) for wf in raced]


def _applicants(connection: Connection, codes: list[str]) -> dict[str, str | None]:
    """The applicant of each dossier, from its code's allocation record."""
    return {key: value for key, value in _APPLICANTS.rows(connection, codes)}


def _update(connection: Connection, views: list[DossierView], known: dict[str, str | None]) -> None:
    """Update the rows of ``views``; ``known`` holds the applicants their rows already have."""
    if not views:
        return
    unknown = [v.dossier_code for v in views if v.dossier_code not in known]
    applicants = known | (_applicants(connection, unknown) if unknown else {})
    params = []
    for view in views:
        values = _values(view, applicants.get(view.dossier_code))
        values["pk_"] = values.pop("dossier_code")
        params.append(values)
    connection.execute(prepared(connection, _update_statement), params)


def _values(view: DossierView, applicant_id: str | None) -> dict[str, Any]:
    """The row's columns: the snapshot's (its result code composed with the applicant's ID,
    which no event holds), what the submission said, and the fold itself."""
    snapshot = view.snapshot(applicant_id=applicant_id)
    values = {name: getattr(snapshot, name) for name in _SNAPSHOT}
    values.update(
        submission_id=view.submission_id,
        bundle_id=view.bundle_id,
        last_seq=view.last_seq,
        updated_at=view.updated_at,
        view=view.model_dump(mode="json"),
    )
    return values


# The statements, built once per dialect (`prepared`). Core columns, not the mapped
# classes' attributes: an ORM-enabled SELECT goes through the ORM's compile state every time.

_STORED_VIEWS = KeyLookup(
    _DOSSIERS.c.workflow_id,
    lambda: select(
        _DOSSIERS.c.workflow_id, _DOSSIERS.c.view, _DOSSIERS.c.applicant_id
    ).with_for_update(),
)
_APPLICANTS = KeyLookup(_CODES.c.code, lambda: select(_CODES.c.code, _CODES.c.applicant_id))


def _insert_statement(insert: Any) -> Any:
    return insert(_DOSSIERS).on_conflict_do_nothing().returning(_DOSSIERS.c.dossier_code)


def _update_statement(_: Any) -> Any:
    # executemany: every folded column is SET, the row is matched by "pk_".
    return update(_DOSSIERS).where(_DOSSIERS.c.dossier_code == bindparam("pk_"))
