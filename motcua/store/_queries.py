"""Read-side repository functions of the read model's dossiers and tasks.

They return ORM rows (`DossierRow`, `TaskRow`), loaded and usable after the session ends when
the session comes from `session_factory`; aggregates return plain dicts. The event log's reads
are in :mod:`._log_queries`.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from itertools import product
from typing import Any, TypeVarTuple

from sqlalchemy import Row, Select, bindparam, case, func, select, union_all
from sqlalchemy.orm import Session

from motcua.dossier import TERMINAL_STATUSES
from motcua.store._tables import INBOX_ORDER, DossierRow, TaskRow
from motcua.store._task_counts import kept_total

FINISHED_STATUSES = ("completed", "rated")
"""Dossiers whose result was issued; timeliness is counted among these."""
CLOSED_WITHOUT_RESULT = ("refused", "rejected", "withdrawn", "lapsed")
ACTIVE_TASK_STATUSES = ("open", "claimed")
TASK_STATUSES = ("open", "claimed", "decided", "cancelled")


def get_dossier(session: Session, code: str) -> DossierRow | None:
    """Return the dossier with this dossier code, or None."""
    return session.get(DossierRow, code)


def get_dossier_by_workflow(session: Session, workflow_id: str) -> DossierRow | None:
    """Return the dossier run by this workflow, or None."""
    return session.scalar(select(DossierRow).where(DossierRow.workflow_id == workflow_id))


def list_tasks(
    session: Session,
    *,
    agency: str | None = None,
    role: str | None = None,
    procedure_code: str | None = None,
    step_id: str | None = None,
    status: Sequence[str] | None = ("open", "claimed"),
    due_before: datetime | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[TaskRow]:
    """Return an officer inbox: tasks, most urgent first (due_at, then created_at).

    Tasks without a due date come last. Filtering by ``procedure_code`` joins the dossiers
    table, so tasks of a dossier whose status was never projected are left out then.

    Args:
        session: a session.
        agency: only tasks at this agency.
        role: only tasks for this role.
        procedure_code: only tasks of dossiers of this procedure.
        step_id: only tasks of this definition step.
        status: task statuses to include (``open``, ``claimed``, ``decided``, ``cancelled``);
            None for all.
        due_before: only tasks due strictly before this instant.
        limit: page size.
        offset: rows to skip.
    """
    query = _task_filters(
        select(TaskRow),
        agencies=None if agency is None else [agency],
        roles=None if role is None else [role],
        procedure_code=procedure_code,
        step_id=step_id,
        status=status,
        due_before=due_before,
    )
    return list(session.scalars(query.order_by(*INBOX_ORDER).limit(limit).offset(offset)))


def inbox_page(
    session: Session,
    *,
    agencies: Collection[str],
    roles: Collection[str],
    procedure_code: str | None = None,
    step_id: str | None = None,
    status: Sequence[str] | None = ACTIVE_TASK_STATUSES,
    due_before: datetime | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[tuple[TaskRow, str | None]], int]:
    """Return one page of an officer's inbox and the number of tasks on all pages.

    Like :func:`list_tasks`, but over the officer's whole scope (tasks at any of ``agencies``
    for any of ``roles``), each task with its dossier's procedure code (None while the dossier's
    status is not projected yet).

    Reading the page does not grow with the number of open tasks: each (agency, role, status)
    of the scope is read in order off the inbox index, ``offset + limit`` entries at most, and
    only the page's rows are loaded. The total of a whole scope is the sum of its kept counts
    (:mod:`._task_counts`); narrowed by procedure, step or due date, it is counted on the
    index, which visits every task of the scope (benchmarks/README.md, "Scale").
    """
    shape = _InboxShape(
        agencies=tuple(sorted(set(agencies))),
        roles=tuple(sorted(set(roles))),
        status=tuple(sorted(set(status or TASK_STATUSES))),
        by_procedure=procedure_code is not None,
        by_step=step_id is not None,
        by_due=due_before is not None,
    )
    if not (shape.agencies and shape.roles):
        return [], 0
    page_statement, count_statement = _inbox_statements(shape)
    values = {
        "procedure_code": procedure_code,
        "step_id": step_id,
        "due_before": due_before,
        "window": offset + limit,
        "page_limit": limit,
        "page_offset": offset,
    }
    page = session.execute(page_statement, values).all()
    if page:
        return [(task, procedure) for task, procedure, _ in page], page[0][2]
    return [], session.scalar(count_statement, values) or 0


@dataclass(frozen=True)
class _InboxShape:
    """What an inbox statement's SQL depends on; the filters' values are bound at execution."""

    agencies: tuple[str, ...]
    roles: tuple[str, ...]
    status: tuple[str, ...]
    by_procedure: bool
    by_step: bool
    by_due: bool


@lru_cache(maxsize=512)
def _inbox_statements(shape: _InboxShape) -> tuple[Select[Any], Select[int]]:
    """The page and total statements of an inbox of this shape, built once: an officer's scope
    is a union of a stream per (agency, role, status), and building it (and SQLAlchemy's cache
    key of it) cost more than running it on SQLite. Reused, a statement keeps its cache key."""
    filters: dict[str, Any] = {
        "procedure_code": bindparam("procedure_code") if shape.by_procedure else None,
        "step_id": bindparam("step_id") if shape.by_step else None,
        "due_before": bindparam("due_before") if shape.by_due else None,
    }
    streams = [
        _task_filters(select(TaskRow.task_id, *_ORDER_KEYS), **filters, agencies=[a], roles=[r],
                      status=[s]).order_by(*INBOX_ORDER).limit(bindparam("window")).subquery()
        for a, r, s in product(shape.agencies, shape.roles, shape.status)
    ]  # fmt: skip
    candidates = union_all(*(select(*stream.c) for stream in streams)).subquery("candidates")
    # The total comes with the page, in the same statement, so that both see the same tasks
    # even while new ones are projected; only past the last page is it counted on its own.
    counted = _count(filters, agencies=shape.agencies, roles=shape.roles, status=shape.status)
    page = (
        select(TaskRow, DossierRow.procedure_code, counted.scalar_subquery())
        .join(candidates, candidates.c.task_id == TaskRow.task_id)
        .outerjoin(DossierRow, DossierRow.dossier_code == TaskRow.dossier_code)
        .order_by(*(candidates.c[key.name] for key in _ORDER_KEYS), candidates.c.task_id)
        .limit(bindparam("page_limit"))
        .offset(bindparam("page_offset"))
    )
    return page, counted


def _count(
    filters: dict[str, Any],
    *,
    agencies: Collection[str],
    roles: Collection[str],
    status: Sequence[str] | None,
) -> Select[int]:
    """How many tasks the inbox's filters match: from the kept counts for a whole scope, else
    on the inbox index."""
    if all(value is None for value in filters.values()):
        return kept_total(agencies=agencies, roles=roles, status=status)
    counted = _task_filters(
        select(TaskRow.task_id), **filters, agencies=agencies, roles=roles, status=status
    ).subquery()
    return select(func.count()).select_from(counted)


def get_task(session: Session, task_id: str) -> tuple[TaskRow, str | None] | None:
    """Return a task with its dossier's procedure code, or None."""
    query = (
        select(TaskRow, DossierRow.procedure_code)
        .outerjoin(DossierRow, DossierRow.dossier_code == TaskRow.dossier_code)
        .where(TaskRow.task_id == task_id)
    )
    row = session.execute(query).first()
    return None if row is None else (row[0], row[1])


# The inbox order's keys besides the task id, named so that a union of streams can be sorted.
_ORDER_KEYS = (
    TaskRow.due_at.is_(None).label("undated"),
    TaskRow.due_at.label("due_at"),
    TaskRow.created_at.label("created_at"),
)

_Ts = TypeVarTuple("_Ts")


def _task_filters(
    query: Select[*_Ts],
    *,
    agencies: Collection[str] | None,
    roles: Collection[str] | None,
    procedure_code: str | None,
    step_id: str | None,
    status: Sequence[str] | None,
    due_before: datetime | None,
) -> Select[*_Ts]:
    if procedure_code is not None:
        query = query.join(DossierRow, DossierRow.dossier_code == TaskRow.dossier_code)
        query = query.where(DossierRow.procedure_code == procedure_code)
    if agencies is not None:
        query = query.where(TaskRow.agency.in_(list(agencies)))
    if roles is not None:
        query = query.where(TaskRow.role.in_(list(roles)))
    if step_id is not None:
        query = query.where(TaskRow.step_id == step_id)
    if status is not None:
        query = query.where(TaskRow.status.in_(list(status)))
    if due_before is not None:
        query = query.where(TaskRow.due_at < due_before)
    return query


def list_dossiers(
    session: Session,
    *,
    applicant_id: str | None = None,
    status: str | Sequence[str] | None = None,
    agency: str | None = None,
    procedure_code: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[DossierRow]:
    """Return dossiers, newest receipt first.

    Args:
        session: a session.
        applicant_id: only this citizen's dossiers (their personal ID).
        status: one status or several.
        agency: only dossiers at this agency.
        procedure_code: only dossiers of this procedure.
        limit: page size.
        offset: rows to skip.
    """
    query = select(DossierRow)
    if applicant_id is not None:
        query = query.where(DossierRow.applicant_id == applicant_id)
    if isinstance(status, str):
        query = query.where(DossierRow.status == status)
    elif status is not None:
        query = query.where(DossierRow.status.in_(list(status)))
    if agency is not None:
        query = query.where(DossierRow.agency == agency)
    if procedure_code is not None:
        query = query.where(DossierRow.procedure_code == procedure_code)
    query = query.order_by(DossierRow.received_at.desc(), DossierRow.dossier_code)
    return list(session.scalars(query.limit(limit).offset(offset)))


def count_by_status(session: Session) -> dict[str, int]:
    """Return the number of dossiers in each status (statuses with none are absent)."""
    query = select(DossierRow.status, func.count()).group_by(DossierRow.status)
    return {status: count for status, count in session.execute(query)}


def summary(
    session: Session,
    *,
    agency: str | None = None,
    received_from: datetime | None = None,
    received_before: datetime | None = None,
) -> dict[str, Any]:
    """Return the headline counts of the dossiers received, as the seeds' reports give them.

    Keys: ``received`` (all dossiers); ``finished`` (completed or rated) split into ``early``,
    ``on_time`` and ``late`` by timeliness; ``refused``, ``rejected``, ``withdrawn``,
    ``lapsed``; ``in_progress`` (not in a terminal status); ``online`` (channel online) and
    ``online_share`` (online / received, 0.0 when nothing was received).

    Args:
        session: a session.
        agency: only dossiers at this agency.
        received_from: only dossiers received at or after this instant.
        received_before: only dossiers received before this instant.
    """
    finished = DossierRow.status.in_(FINISHED_STATUSES)

    def count_if(condition: Any) -> Any:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    columns = {
        "received": func.count(),
        "finished": count_if(finished),
        "early": count_if(finished & (DossierRow.timeliness == "early")),
        "on_time": count_if(finished & (DossierRow.timeliness == "on_time")),
        "late": count_if(finished & (DossierRow.timeliness == "late")),
        **{s: count_if(DossierRow.status == s) for s in CLOSED_WITHOUT_RESULT},
        "in_progress": count_if(DossierRow.status.not_in(sorted(TERMINAL_STATUSES))),
        "online": count_if(DossierRow.channel == "online"),
    }
    query: Select[Any] = select(*(c.label(k) for k, c in columns.items()))
    if agency is not None:
        query = query.where(DossierRow.agency == agency)
    if received_from is not None:
        query = query.where(DossierRow.received_at >= received_from)
    if received_before is not None:
        query = query.where(DossierRow.received_at < received_before)
    row = session.execute(query).one()
    counts: dict[str, Any] = {k: int(v) for k, v in row._mapping.items()}
    counts["online_share"] = counts["online"] / counts["received"] if counts["received"] else 0.0
    return counts


def open_tasks_by_step(
    session: Session, now: datetime
) -> Sequence[Row[str | None, str | None, str, int, int | None]]:
    """Open or claimed tasks, and how many are past their due instant at ``now``, by procedure,
    step and agency (the task's own: a consultation's is the consulted agency)."""
    overdue = case((TaskRow.due_at < now, 1), else_=0)
    query = (
        select(
            DossierRow.procedure_code,
            TaskRow.step_id,
            TaskRow.agency,
            func.count(),
            func.sum(overdue),
        )
        .select_from(TaskRow)
        # A task whose dossier snapshot is not projected yet still counts, without a procedure.
        .outerjoin(DossierRow, DossierRow.dossier_code == TaskRow.dossier_code)
        .where(TaskRow.status.in_(ACTIVE_TASK_STATUSES))
        .group_by(DossierRow.procedure_code, TaskRow.step_id, TaskRow.agency)
    )
    return session.execute(query).all()
