"""A dossier recorded by an earlier, incompatible engine: a workflow registered under the name of
motcua's ``ProcedureWorkflow`` that gave other commands, left open on a task queue."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

from temporalio import workflow
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowHandle
from temporalio.worker import Worker

from motcua.definitions import Catalog
from motcua.dossier import DossierInput, RunOptions, SubmittedDocument
from motcua.engine import Submission, prepare, resolve
from tests.workflows.handle import APPLICANT

PROCEDURE = "1.004222"  # permanent residence


@workflow.defn(name="ProcedureWorkflow", sandboxed=False)
class EarlierProcedureWorkflow:
    """Waited a day before opening the dossier: a timer today's engine never starts there."""

    @workflow.run
    async def run(self, data: DossierInput) -> None:
        await workflow.sleep(timedelta(days=1))


async def file_with_earlier_engine(client: Client, catalog: Catalog, *, task_queue: str) -> str:
    """File a residence dossier as the earlier engine ran it; its workflow id once its first
    task is recorded (the worker is gone then, the dossier open)."""
    filing = prepare(
        catalog,
        Submission(
            procedure=PROCEDURE,
            applicant=APPLICANT,
            documents=[
                SubmittedDocument(id=d) for d in resolve(catalog, PROCEDURE).citizen_documents
            ],
            submission_id=uuid.uuid4().hex,
        ),
        RunOptions(),
    )
    async with Worker(client, task_queue=task_queue, workflows=[EarlierProcedureWorkflow]):
        handle = await client.start_workflow(
            "ProcedureWorkflow", filing.input, id=filing.workflow_id, task_queue=task_queue
        )
        await _timer_started(handle)
    return handle.id


async def _timer_started(handle: WorkflowHandle[object, object]) -> None:
    for _ in range(200):
        async for event in handle.fetch_history_events():
            if event.event_type == EventType.EVENT_TYPE_TIMER_STARTED:
                return
        await asyncio.sleep(0.1)
    raise AssertionError(f"{handle.id}: the earlier engine never started its timer")
