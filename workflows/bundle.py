"""BundleWorkflow: interconnected procedures (Decree 63/2024) as child dossiers.

One application runs several procedures at several agencies; each member is a ProcedureWorkflow
child, started once the members it depends on have completed (a child's residence registration
needs its birth registration). The citizen sees one combined status and one due date.
"""

from __future__ import annotations

import asyncio
from datetime import datetime

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.contracts import COMPUTE_DUE, DueRequest
    from motcua.definitions import BundleMember
    from motcua.dossier import (
        BundleInput,
        BundleStatus,
        BundleStatusName,
        DossierOutcome,
        MemberStatus,
        member_workflow_id,
    )
    from workflows._calls import local
    from workflows.procedure import ProcedureWorkflow


@workflow.defn
class BundleWorkflow:
    @workflow.init
    def __init__(self, data: BundleInput) -> None:
        self._in = data
        self._due_at: datetime | None = None
        bundle_id = workflow.info().workflow_id
        self._members = {
            m.id: MemberStatus(
                member_id=m.id,
                procedure_code=m.procedure,
                state="waiting",
                workflow_id=member_workflow_id(bundle_id, m.id),
            )
            for m in data.bundle.members
        }

    @workflow.run
    async def run(self, data: BundleInput) -> BundleStatus:
        options = next(iter(data.members.values())).options
        due = await local(
            COMPUTE_DUE,
            DueRequest(
                start=workflow.now(),
                span=data.bundle.deadline,
                time_scale=options.time_scale,
                clock_epoch=options.clock_epoch,
            ),
        )
        self._due_at = due.due_at
        done = {m.id: asyncio.Event() for m in data.bundle.members}
        await asyncio.gather(*(self._run_member(m, done) for m in data.bundle.members))
        return self.status()

    async def _run_member(self, member: BundleMember, done: dict[str, asyncio.Event]) -> None:
        for before in member.after:
            await done[before].wait()
        status = self._members[member.id]
        if any(self._members[b].state != "completed" for b in member.after):
            status.state = "skipped"
            done[member.id].set()
            return
        child_input = self._in.members[member.id].model_copy(
            update={"bundle_id": workflow.info().workflow_id}
        )
        # Start, then wait: the same commands as execute_child_workflow, but "running" is only
        # shown once the child exists, so the engine can ask it for its dossier code.
        child = await workflow.start_child_workflow(
            ProcedureWorkflow.run, child_input, id=status.workflow_id
        )
        status.state = "running"
        outcome: DossierOutcome = await child
        status.dossier_code = outcome.dossier_code
        status.outcome = outcome.status
        status.chain_head = outcome.chain_head
        status.state = "completed" if outcome.status in ("completed", "rated") else "ended"
        done[member.id].set()

    @workflow.update
    async def started(self) -> BundleStatus:
        """Sent with the start (update-with-start): answers once every member that can start at
        once runs as a child dossier; the engine then asks each child for its code."""
        first = [m.id for m in self._in.bundle.members if not m.after]
        await workflow.wait_condition(
            lambda: all(self._members[m].state != "waiting" for m in first)
        )
        return self.status()

    @workflow.query
    def status(self) -> BundleStatus:
        states = [m.state for m in self._members.values()]
        if all(s == "completed" for s in states):
            overall: BundleStatusName = "completed"
        elif any(s in ("waiting", "running") for s in states):
            overall = "processing"
        elif any(s == "completed" for s in states):
            overall = "partially_completed"
        else:
            overall = "failed"
        return BundleStatus(
            bundle_code=self._in.bundle.code,
            status=overall,
            due_at=self._due_at,
            members=list(self._members.values()),
        )
