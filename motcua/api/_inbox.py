"""The officer side: the inbox, and claiming, releasing and deciding tasks.

The inbox is read from the read model, scoped to the officer's token: tasks at their agencies,
of roles they hold. Commands are forwarded to the dossier's workflow as updates, whose validator
is the final judge; its refusal comes back as 409 (the dossier's state does not allow it now) or
422 (the command itself is not allowed), with the workflow's message. A task at an agency outside
the officer's scope does not exist for them (404), so task ids cannot be probed.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable
from datetime import UTC, datetime
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, Path, Query
from starlette.concurrency import run_in_threadpool
from temporalio.client import WorkflowUpdateRPCTimeoutOrCancelledError
from temporalio.service import RPCError

from motcua.analysis import FEEDBACK_PROCEDURE
from motcua.api._auth import Officer, OfficerDep
from motcua.api._comments import store_decision
from motcua.api._context import ApiContext, ContextDep
from motcua.api._errors import ApiError, engine_error, not_found
from motcua.api._officer_models import DecisionAnswer, DecisionBody, TaskItem, TaskPage
from motcua.dossier import Actor, ClaimInput, DecisionInput
from motcua.engine import CommandRefused, Dossier
from motcua.services import officer_inbox, visible_task
from motcua.store import TaskRow

router = APIRouter(tags=["officers"])

TaskId = Annotated[
    str,
    Path(
        description="From the inbox, e.g. 000.00.02.H29-260115-0001/receive-1 (a slash in it)",
    ),
]
T = TypeVar("T")
_CODE = r"^[\w.\-]+$"  # procedure codes and step ids
# Anything else is no task, and never reaches the database.
_TASK_ID = re.compile(r"[\w.\-/]{1,200}")

_SCOPED: dict[int | str, dict[str, Any]] = {
    403: {"description": "A role you do not hold, or a filter outside your token's scope"},
    404: {"description": "No such task at your agencies"},
}
_COMMAND: dict[int | str, dict[str, Any]] = _SCOPED | {
    409: {"description": "The task's or dossier's state does not allow it now; see the message"},
    422: {"description": "The workflow refused the command itself; the message cites the rule"},
    503: {"description": "The workflow engine did not answer"},
}


@router.get("/tasks", summary="The officer's inbox", responses={403: _SCOPED[403]})
async def inbox(
    ctx: ContextDep,
    officer: OfficerDep,
    agency: Annotated[str | None, Query(description="Only this agency (one of yours)")] = None,
    role: Annotated[str | None, Query(description="Only this role (one you hold)")] = None,
    procedure: Annotated[
        str | None, Query(max_length=64, pattern=_CODE, description="Only this procedure code")
    ] = None,
    step: Annotated[
        str | None, Query(max_length=64, pattern=_CODE, description="Only this step, e.g. review")
    ] = None,
    due_before: Annotated[
        datetime | None, Query(description="Only tasks due before this instant (UTC if naive)")
    ] = None,
    status: Annotated[
        Literal["open", "claimed"] | None, Query(description="Open or claimed; both by default")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
) -> TaskPage:
    """Undecided tasks at your agencies for roles you hold, the most urgent (earliest due) first;
    tasks without a due date come last."""
    agencies = _within(officer.agencies, agency, "agency")
    roles = _within(officer.roles, role, "role")
    if due_before is not None and due_before.tzinfo is None:
        due_before = due_before.replace(tzinfo=UTC)

    def read() -> tuple[list[tuple[TaskRow, str | None]], int]:
        with ctx.reads() as session:
            return officer_inbox(
                session,
                officer,
                agencies=agencies,
                roles=roles,
                procedure_code=procedure,
                step_id=step,
                status=[status] if status else ("open", "claimed"),
                due_before=due_before,
                limit=limit,
                offset=offset,
            )

    rows, total = await run_in_threadpool(read)
    now = datetime.now(UTC)
    following = offset + len(rows)
    return TaskPage(
        items=[TaskItem.of(task, proc, now=now) for task, proc in rows],
        total=total,
        limit=limit,
        offset=offset,
        next_offset=following if following < total else None,
    )


@router.get("/tasks/{task_id:path}", summary="One task", responses=_SCOPED)
async def read_task(ctx: ContextDep, officer: OfficerDep, task_id: TaskId) -> TaskItem:
    """The task, decided or not, if it is at one of your agencies for a role you hold."""
    task, procedure = await _task(ctx, officer, task_id)
    return TaskItem.of(task, procedure, now=datetime.now(UTC))


@router.post("/tasks/{task_id:path}/claim", summary="Claim a task", responses=_COMMAND)
async def claim(ctx: ContextDep, officer: OfficerDep, task_id: TaskId) -> TaskItem:
    """Take the task: colleagues can no longer decide it until you release it. Claiming a task
    you already hold changes nothing; one claimed by a colleague is a 409."""
    task, _ = await _undecided_task(ctx, officer, task_id)
    dossier = Dossier(ctx.engine(), task.workflow_id)
    await _forward(dossier.claim(ClaimInput(task_id=task_id, actor=_actor(officer, task))))
    return await read_task(ctx, officer, task_id)


@router.post("/tasks/{task_id:path}/release", summary="Release a claimed task", responses=_COMMAND)
async def release(ctx: ContextDep, officer: OfficerDep, task_id: TaskId) -> TaskItem:
    """Give the task back to the inbox; only the officer who claimed it may."""
    task, _ = await _undecided_task(ctx, officer, task_id)
    dossier = Dossier(ctx.engine(), task.workflow_id)
    await _forward(dossier.release(ClaimInput(task_id=task_id, actor=_actor(officer, task))))
    return await read_task(ctx, officer, task_id)


@router.post("/tasks/{task_id:path}/decision", summary="Decide a task", responses=_COMMAND)
async def decide(
    ctx: ContextDep, officer: OfficerDep, task_id: TaskId, body: DecisionBody
) -> DecisionAnswer:
    """Decide the task with one of its outcomes. The workflow checks the outcome, the claim,
    the four-eyes rule and, for ``request_supplement``, that every missing document is listed
    by the procedure and not one a database provides (Decree 118/2025)."""
    task, procedure_code = await _undecided_task(ctx, officer, task_id)
    dossier = Dossier(ctx.engine(), task.workflow_id)
    # The decision record (who, as the token asserted it, its jti, and why) goes to the
    # comments table first; the workflow and the event log cite it by id.
    record_id = await store_decision(
        ctx,
        officer,
        dossier_code=task.dossier_code,
        outcome=body.outcome,
        text=body.comment,
        # A feedback's decisions answer the citizen: they read every one of them.
        citizen_facing=procedure_code == FEEDBACK_PROCEDURE,
    )
    command = DecisionInput(
        task_id=task_id,
        actor=_actor(officer, task),
        outcome=body.outcome,
        comment_id=record_id,
        missing_documents=body.missing_documents,
        forward_to=body.forward_to,
    )
    ack = await _forward(dossier.decide(command))
    return DecisionAnswer(
        task_id=task_id,
        dossier_code=ack.dossier_code,
        outcome=body.outcome,
        dossier_status=ack.status,
        message=ack.message,
    )


def _within(scope: list[str], wanted: str | None, what: str) -> list[str]:
    """The filter's values: the whole scope, or ``wanted`` if it lies within (else 403)."""
    if wanted is None:
        return scope
    if wanted not in scope:
        raise ApiError(
            403,
            "forbidden",
            f"{what} {wanted} is outside your token's scope; yours: {', '.join(scope)}",
            {what: wanted},
        )
    return [wanted]


async def _task(ctx: ApiContext, officer: Officer, task_id: str) -> tuple[TaskRow, str | None]:
    """The task if the officer may see it: 404 outside their agencies, 403 for another role."""

    def read() -> tuple[TaskRow, str | None] | None:
        with ctx.reads() as session:
            return visible_task(session, officer, task_id)

    found = await run_in_threadpool(read) if _TASK_ID.fullmatch(task_id) else None
    if found is None:
        raise not_found(f"task {task_id}")
    task = found[0]
    if task.role not in officer.roles:
        raise ApiError(
            403,
            "forbidden",
            f"task {task_id} needs role {task.role}; your roles: {', '.join(officer.roles)}",
            {"role": task.role},
        )
    return found


async def _undecided_task(
    ctx: ApiContext, officer: Officer, task_id: str
) -> tuple[TaskRow, str | None]:
    found = await _task(ctx, officer, task_id)
    task = found[0]
    if task.status == "decided":
        raise ApiError(
            409,
            "conflict",
            f"task {task_id} was already decided: {task.outcome} by {task.decided_by}",
            {"status": task.status, "outcome": task.outcome},
        )
    if task.status == "cancelled":
        raise ApiError(
            409,
            "conflict",
            f"task {task_id} was cancelled: its dossier no longer needs it",
            {"status": task.status},
        )
    return found


def _actor(officer: Officer, task: TaskRow) -> Actor:
    return Actor(id=officer.id, role=task.role, agency=task.agency)


async def _forward(command: Awaitable[T]) -> T:
    """Await a command on the workflow; its refusal or the engine's silence as an ``ApiError``."""
    try:
        return await command
    except CommandRefused as refused:
        if refused.conflict:
            raise ApiError(409, "refused", refused.message, {"kind": refused.kind}) from refused
        raise ApiError(422, "refused", refused.message, {"kind": refused.kind}) from refused
    except WorkflowUpdateRPCTimeoutOrCancelledError:
        raise ApiError(
            503,
            "engine_timeout",
            "the dossier did not answer in time; read the task again before retrying",
        ) from None
    except RPCError as error:
        raise engine_error(error) from None
