"""What the JSON API and the console read, for a given caller: a dossier with its timeline, an
officer's inbox, a dossier's tasks and verification evidence. Each goes through
:mod:`._visibility`, so a caller gets only what they may see."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from motcua.dossier import Event
from motcua.services._principals import Officer, Principal
from motcua.services._visibility import task_scope, visible_comments, visible_dossier
from motcua.store import (
    DossierRow,
    EvidenceRow,
    TaskRow,
    inbox_page,
    list_events,
)


@dataclass(frozen=True)
class DossierView:
    """A dossier as one caller may see it: its row, its events in order, and the comments the
    events cite that this caller may read (id → text)."""

    dossier: DossierRow
    events: list[Event]
    comments: dict[str, str | None]
    officer: bool


def dossier_view(session: Session, who: Principal, code: str) -> DossierView | None:
    """The dossier ``code`` with its timeline, or None when ``who`` may not see it."""
    dossier = visible_dossier(session, who, code)
    if dossier is None:
        return None
    return timeline_of(session, dossier, officer=isinstance(who, Officer))


def timeline_of(session: Session, dossier: DossierRow, *, officer: bool) -> DossierView:
    """``dossier``'s events and the comments they cite, for an officer or for its applicant
    (the caller has been allowed to see the dossier)."""
    events = list_events(session, dossier.dossier_code)
    cited = (e.data.get("comment_id") for e in events)
    readable = visible_comments(
        session, dossier.dossier_code, (c for c in cited if isinstance(c, str)), officer=officer
    )
    comments = {cid: c.text for cid, c in readable.items()}
    return DossierView(dossier=dossier, events=events, comments=comments, officer=officer)


def officer_inbox(
    session: Session,
    officer: Officer,
    *,
    agencies: Collection[str] | None = None,
    roles: Collection[str] | None = None,
    procedure_code: str | None = None,
    step_id: str | None = None,
    status: Sequence[str] = ("open", "claimed"),
    due_before: datetime | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[tuple[TaskRow, str | None]], int]:
    """One page of ``officer``'s inbox, the most urgent first, and the number of tasks on all
    pages: tasks at their agencies for roles they hold. ``agencies`` and ``roles`` narrow the
    scope; values outside it are ignored (the API answers 403 for them first)."""
    return inbox_page(
        session,
        agencies=[a for a in officer.agencies if agencies is None or a in agencies],
        roles=[r for r in officer.roles if roles is None or r in roles],
        procedure_code=procedure_code,
        step_id=step_id,
        status=status,
        due_before=due_before,
        limit=limit,
        offset=offset,
    )


def dossier_evidence(session: Session, dossier: DossierRow) -> list[EvidenceRow]:
    """The verification evidence (source, checks, hashes, when) of a dossier the caller may
    see, the oldest first."""
    query = select(EvidenceRow).where(EvidenceRow.dossier_code == dossier.dossier_code)
    return list(session.scalars(query.order_by(EvidenceRow.verified_at)))


def dossier_tasks(session: Session, officer: Officer, dossier: DossierRow) -> list[TaskRow]:
    """The tasks of ``dossier`` that ``officer`` may read, in the order they were opened."""
    query = (
        select(TaskRow)
        .where(TaskRow.dossier_code == dossier.dossier_code, task_scope(officer))
        .order_by(TaskRow.created_at, TaskRow.task_id)
    )
    return list(session.scalars(query))
