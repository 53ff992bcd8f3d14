"""Submission in one call: update-with-start answers with the dossier code from the workflow.

The start and the ``submitted`` update (``started`` for a bundle) go to Temporal together;
``USE_EXISTING`` makes the same submission twice reach the same running workflow, and
``REJECT_DUPLICATE`` makes a workflow that already closed answer from its final state rather
than start again.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar

from temporalio.client import (
    Client,
    WithStartWorkflowOperation,
    WorkflowUpdateRPCTimeoutOrCancelledError,
)
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

from motcua.definitions import Catalog
from motcua.dossier import (
    BundleInput,
    BundleStatus,
    DossierInput,
    DossierStatus,
    MemberStatus,
    RunOptions,
    SubmissionReceipt,
)
from motcua.engine._queries import query
from motcua.engine._receipts import BundleReceipt, MemberReceipt, Receipt, SubmissionPending
from motcua.engine._submission import Filing, Submission, prepare
from workflows import BundleWorkflow, ProcedureWorkflow

T = TypeVar("T")

# The same id twice reaches the running workflow; a closed one is not started again.
_CONFLICT = WorkflowIDConflictPolicy.USE_EXISTING
_REUSE = WorkflowIDReusePolicy.REJECT_DUPLICATE


async def submit(
    client: Client,
    catalog: Catalog,
    submission: Submission,
    *,
    task_queue: str,
    options: RunOptions,
    wait: timedelta | None = None,
) -> Receipt:
    """File ``submission`` once and answer with its dossier code (a bundle: its members').

    Args:
        client: The Temporal client.
        catalog: The definitions the submission is checked against.
        submission: What was filed; the same ``submission_id`` twice is one dossier.
        task_queue: The engine worker's queue.
        options: Engine parameters pinned into the dossier.
        wait: How long to wait for the answer; no limit if None. When it passes, the workflow
            is made sure to exist (a plain start) and ``SubmissionPending`` is raised.

    Returns:
        A ``SubmissionReceipt``, or a ``BundleReceipt`` when the code names a bundle.

    Raises:
        SubmissionRefused: Checked before anything starts; see :func:`prepare`.
        SubmissionPending: ``wait`` passed; the workflow exists and its receipt will follow.
        RPCError: Temporal could not be reached.
    """
    filing = prepare(catalog, submission, options)
    return await file(client, filing, task_queue=task_queue, wait=wait)


async def file(
    client: Client, filing: Filing, *, task_queue: str, wait: timedelta | None = None
) -> Receipt:
    """Start ``filing``'s workflow (or reach the one it started before) and answer with its
    receipt; ``SubmissionPending`` when ``wait`` passes first (the workflow exists then)."""
    loop = asyncio.get_running_loop()
    deadline = None if wait is None else loop.time() + wait.total_seconds()
    workflow_id, data = filing.workflow_id, filing.input
    if not isinstance(data, BundleInput):
        dossier = _Start(client, workflow_id, ProcedureWorkflow.run, data, task_queue)
        try:
            receipt: SubmissionReceipt = await dossier.update(ProcedureWorkflow.submitted, deadline)
        except (WorkflowAlreadyStartedError, _Closed):
            return await _closed_receipt(client, workflow_id)
        return receipt
    bundle = _Start(client, workflow_id, BundleWorkflow.run, data, task_queue)
    try:
        status: BundleStatus = await bundle.update(BundleWorkflow.started, deadline)
    except (WorkflowAlreadyStartedError, _Closed):
        handle = client.get_workflow_handle_for(BundleWorkflow.run, workflow_id)
        status = await query(handle, BundleWorkflow.status)
    return await _within(_bundle_receipt(client, workflow_id, status), deadline, workflow_id)


@dataclass(frozen=True)
class _Start:
    """How to start one workflow, with an update or (to give up waiting) without."""

    client: Client
    workflow_id: str
    run: Callable[[Any, Any], Awaitable[Any]]
    data: DossierInput | BundleInput
    task_queue: str

    async def update(self, update: Any, deadline: float | None) -> Any:
        """Update-with-start; once ``deadline`` passes, make sure of the start (a plain start,
        attaching to the workflow if the update's call had started it) and raise
        ``SubmissionPending``: a pending answer always names a workflow that exists."""
        call = asyncio.ensure_future(self._with_start(update))
        timeout = None if deadline is None else deadline - asyncio.get_running_loop().time()
        try:
            await asyncio.wait({call}, timeout=None if timeout is None else max(0.0, timeout))
        finally:
            if not call.done():
                call.cancel()
        await asyncio.wait({call})  # never raises: the outcome is read below
        if not call.cancelled():
            error = call.exception()
            if not isinstance(error, WorkflowUpdateRPCTimeoutOrCancelledError):
                return call.result()
        await self.client.start_workflow(
            self.run,
            self.data,
            id=self.workflow_id,
            task_queue=self.task_queue,
            id_conflict_policy=_CONFLICT,
            id_reuse_policy=_REUSE,
        )
        raise SubmissionPending(self.workflow_id)

    async def _with_start(self, update: Any) -> Any:
        start = WithStartWorkflowOperation(
            self.run,
            self.data,
            id=self.workflow_id,
            task_queue=self.task_queue,
            id_conflict_policy=_CONFLICT,
            id_reuse_policy=_REUSE,
        )
        try:
            return await _update(
                self.client.execute_update_with_start_workflow(
                    update, start_workflow_operation=start
                )
            )
        except Exception:
            # The operation settles its own handle future (with the start's error, if the start
            # failed) before the call raises: read it, or asyncio logs the error as unread.
            with contextlib.suppress(Exception, asyncio.CancelledError):
                async with asyncio.timeout(1):
                    await start.workflow_handle()
            raise


async def _bundle_receipt(client: Client, workflow_id: str, status: BundleStatus) -> BundleReceipt:
    members = await asyncio.gather(*(_member_receipt(client, m) for m in status.members))
    return BundleReceipt(
        workflow_id=workflow_id,
        bundle_code=status.bundle_code,
        status=status.status,
        due_at=status.due_at,
        members=list(members),
    )


class _Closed(Exception):
    """The workflow closed between the start and the update."""


async def _update(call: Awaitable[T]) -> T:
    try:
        return await call
    except RPCError as error:
        # USE_EXISTING reached a workflow that completed before the update was delivered.
        if error.status == RPCStatusCode.NOT_FOUND:
            raise _Closed() from error
        raise


async def _within(call: Coroutine[Any, Any, T], deadline: float | None, workflow_id: str) -> T:
    if deadline is None:
        return await call
    try:
        return await asyncio.wait_for(call, max(0.0, deadline - asyncio.get_running_loop().time()))
    except TimeoutError:
        raise SubmissionPending(workflow_id) from None


async def _member_receipt(client: Client, member: MemberStatus) -> MemberReceipt:
    dossier = None
    if member.state == "running":
        dossier = await _running_receipt(client, member.workflow_id)
    elif member.state in ("completed", "ended"):
        dossier = await _closed_receipt(client, member.workflow_id)
    return MemberReceipt(
        member_id=member.member_id,
        procedure_code=member.procedure_code,
        workflow_id=member.workflow_id,
        state=member.state,
        dossier=dossier,
    )


async def _running_receipt(client: Client, workflow_id: str) -> SubmissionReceipt:
    """A started dossier's receipt, from its ``submitted`` update (it answers once the code is
    allocated and projected), or from its status if it has closed since."""
    handle = client.get_workflow_handle_for(ProcedureWorkflow.run, workflow_id)
    try:
        return await _update(handle.execute_update(ProcedureWorkflow.submitted))
    except _Closed:
        return await _closed_receipt(client, workflow_id)


async def _closed_receipt(client: Client, workflow_id: str) -> SubmissionReceipt:
    """A closed dossier's receipt, from its final status (queries answer after the close)."""
    handle = client.get_workflow_handle_for(ProcedureWorkflow.run, workflow_id)
    status: DossierStatus = await query(handle, ProcedureWorkflow.status)
    return SubmissionReceipt(
        dossier_code=status.dossier_code,
        workflow_id=workflow_id,
        status=status.status,
        received_at=status.received_at,
    )
