"""The journal never loses an event to a cancellation: a projection cancelled in flight (the
deadline watcher's, when a decision ends the dossier) puts its batch back for the next one."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from concurrent.futures import ThreadPoolExecutor

from temporalio import activity, workflow
from temporalio.exceptions import ActivityError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

with workflow.unsafe.imports_passed_through():
    from activities.contracts import ProjectionInput
    from motcua.definitions import Catalog
    from motcua.dossier import DeadlineExtended, DossierSubmitted
    from workflows._journal import Journal


@workflow.defn(sandboxed=False)
class CancelledFlush:
    """Records two events, cancels the flush that projects them, then flushes again."""

    @workflow.run
    async def run(self, procedure_code: str) -> int:
        catalog_procedure = PROCEDURES[procedure_code]
        journal = Journal(catalog_procedure)
        journal.record(DossierSubmitted, submission_id="s")
        journal.record(DeadlineExtended, original_due_at=workflow.now(), due_at=workflow.now())
        flushing = asyncio.create_task(journal.flush())
        for _ in range(3):  # let the flush schedule its projection, then cancel it
            await asyncio.sleep(0)
        flushing.cancel()
        with contextlib.suppress(asyncio.CancelledError, ActivityError):
            await flushing
        await journal.flush()
        return journal.projected_seq


PROCEDURES: dict[str, object] = {}
PROJECTED: list[list[int]] = []


@activity.defn(name="motcua.project")
def record_projection(data: ProjectionInput) -> int:
    PROJECTED.append([e.seq for e in data.events])
    return len(data.events)


async def test_a_cancelled_flush_loses_no_event(
    dev_env: WorkflowEnvironment, catalog: Catalog
) -> None:
    procedure = catalog.latest("1.004222")
    PROCEDURES[procedure.code] = procedure
    queue = f"journal-{uuid.uuid4().hex}"
    with ThreadPoolExecutor(max_workers=2) as executor:
        async with Worker(
            dev_env.client,
            task_queue=queue,
            workflows=[CancelledFlush],
            activities=[record_projection],
            activity_executor=executor,
        ):
            projected = await dev_env.client.execute_workflow(
                CancelledFlush.run, procedure.code, id=queue, task_queue=queue
            )
    assert projected == 2
    assert PROJECTED[-1] == [1, 2]  # the cancelled batch, projected by the next flush
