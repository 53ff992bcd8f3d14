"""Who may see a dossier: its applicant, officers of its agency, and officers of another agency
(a consulted one) while that agency has a task on it still to do: once its reply is in, its
access ends.

A caller who may not see a dossier is told it does not exist (404), so dossier codes cannot be
probed.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from motcua.api._auth import Citizen, Officer, Principal
from motcua.api._context import ApiContext
from motcua.api._errors import not_found
from motcua.store import DossierRow, TaskRow, get_dossier

# A task still to do (see TaskRow.status); decided and cancelled tasks grant no access.
OPEN_TASK_STATUSES = ("open", "claimed")


def may_see(session: Session, who: Principal, dossier: DossierRow) -> bool:
    """The owner citizen; an officer of the dossier's agency, or of an agency with an open task
    on it (a consulted agency, until it has replied); nobody else."""
    if isinstance(who, Citizen):
        return dossier.applicant_id == who.personal_id
    if isinstance(who, Officer):
        if who.may_see(dossier.agency):
            return True
        task_agencies = select(TaskRow.task_id).where(
            TaskRow.dossier_code == dossier.dossier_code,
            TaskRow.agency.in_(who.agencies),
            TaskRow.status.in_(OPEN_TASK_STATUSES),
        )
        return session.scalar(task_agencies.limit(1)) is not None
    return False


def find_visible(session: Session, who: Principal, code: str) -> DossierRow | None:
    """The dossier ``code`` if ``who`` may see it, else None (also when it does not exist)."""
    dossier = get_dossier(session, code)
    if dossier is None or not may_see(session, who, dossier):
        return None
    return dossier


async def visible_dossier(ctx: ApiContext, who: Principal, code: str) -> DossierRow:
    """The dossier ``code`` as ``who`` may see it; ``ApiError(404)`` when they may not.

    Reads the read model in a worker thread, so it can be awaited from any route.
    """

    def find() -> DossierRow | None:
        with ctx.reads() as session:
            return find_visible(session, who, code)

    dossier = await run_in_threadpool(find)
    if dossier is None:
        raise not_found(f"dossier {code}")
    return dossier
