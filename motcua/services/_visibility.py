"""Who may see what, decided once and in the query: a repository function filters by the
caller, so a row the caller may not read is never loaded.

- a citizen reads their own dossiers;
- an officer reads the dossiers of their agencies, and those on which one of their agencies has
  a task still to do (a consulted agency, until it has replied: then its access ends);
- an officer reads the tasks at their agencies;
- on a dossier they may read, an officer reads every comment, its applicant only those meant for
  them (``citizen_visible``);
- a service reads no dossier through these functions (agency systems have their own routes).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ColumnElement, Select, false, or_, select, true
from sqlalchemy.orm import Session

from motcua.services._principals import Citizen, Officer, Principal
from motcua.store import CommentRow, DossierRow, TaskRow

OPEN_TASK_STATUSES = ("open", "claimed")
"""A task still to do (see TaskRow.status); decided and cancelled tasks grant no access."""


def readable_dossiers(who: Principal) -> Select[DossierRow]:
    """The dossiers ``who`` may read, as a statement to narrow further."""
    query = select(DossierRow)
    if isinstance(who, Citizen):
        return query.where(DossierRow.applicant_id == who.personal_id)
    if isinstance(who, Officer):
        consulted = select(TaskRow.dossier_code).where(
            TaskRow.agency.in_(who.agencies), TaskRow.status.in_(OPEN_TASK_STATUSES)
        )
        return query.where(
            or_(DossierRow.agency.in_(who.agencies), DossierRow.dossier_code.in_(consulted))
        )
    return query.where(false())


def task_scope(officer: Officer) -> ColumnElement[bool]:
    """The condition of the tasks ``officer`` may read: those at their agencies, decided or
    not (the role is checked by the caller, which answers "not your role" rather than "none")."""
    return TaskRow.agency.in_(officer.agencies)


def comment_scope(*, officer: bool) -> ColumnElement[bool]:
    """The condition of the comments of a dossier that its reader may read: every one for an
    officer, those meant for the applicant otherwise."""
    return true() if officer else CommentRow.citizen_visible.is_(True)


def visible_comments(
    session: Session, dossier_code: str, ids: Iterable[str], *, officer: bool
) -> dict[str, CommentRow]:
    """The comments of ``dossier_code`` among ``ids`` that its reader may read, by id (the
    reader has been allowed to see the dossier: an officer, or its applicant)."""
    wanted = set(ids)
    if not wanted:
        return {}
    query = select(CommentRow).where(
        CommentRow.dossier_code == dossier_code,
        CommentRow.comment_id.in_(wanted),
        comment_scope(officer=officer),
    )
    return {row.comment_id: row for row in session.scalars(query)}


def visible_dossier(session: Session, who: Principal, code: str) -> DossierRow | None:
    """The dossier ``code`` if ``who`` may read it; None also when it does not exist, so a
    caller cannot tell one from the other."""
    query = readable_dossiers(who).where(DossierRow.dossier_code == code)
    return session.scalar(query)


def visible_task(
    session: Session, officer: Officer, task_id: str
) -> tuple[TaskRow, str | None] | None:
    """The task ``task_id`` if ``officer`` may read it, with its dossier's procedure code (None
    while the dossier is not projected yet); None otherwise."""
    query = (
        select(TaskRow, DossierRow.procedure_code)
        .outerjoin(DossierRow, DossierRow.dossier_code == TaskRow.dossier_code)
        .where(TaskRow.task_id == task_id, task_scope(officer))
    )
    row = session.execute(query).first()
    return None if row is None else (row[0], row[1])
