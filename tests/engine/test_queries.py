"""A query whose replay outlasts the deadlock detector (as a closed dossier's status can on a
loaded machine) fails once at Temporal; the engine's query tries again and answers."""

from __future__ import annotations

import time
import uuid

import pytest
from temporalio import workflow
from temporalio.client import WorkflowQueryFailedError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import UnsandboxedWorkflowRunner, Worker

from motcua.engine._queries import query

# The first answer is slow, as a cold replay under load is; the ones after it are not.
_slow_answers_left = 0


@workflow.defn
class SlowFirstAnswer:
    @workflow.run
    async def run(self) -> None:
        await workflow.wait_condition(lambda: False)

    @workflow.query
    def status(self) -> str:
        global _slow_answers_left
        if _slow_answers_left:
            _slow_answers_left -= 1
            stop = time.monotonic() + 2.5  # past the SDK's 2-second deadlock detector
            while time.monotonic() < stop:
                pass
        return "waiting"


async def test_a_query_failed_by_a_stretched_replay_is_answered_on_retry(
    dev_env: WorkflowEnvironment,
) -> None:
    global _slow_answers_left
    queue = f"test-{uuid.uuid4().hex}"
    async with Worker(
        dev_env.client,
        task_queue=queue,
        workflows=[SlowFirstAnswer],
        workflow_runner=UnsandboxedWorkflowRunner(),
    ):
        handle = await dev_env.client.start_workflow(
            SlowFirstAnswer.run, id=f"slow-{uuid.uuid4().hex}", task_queue=queue
        )
        _slow_answers_left = 0
        assert await handle.query(SlowFirstAnswer.status) == "waiting"  # first task done
        _slow_answers_left = 1
        with pytest.raises(WorkflowQueryFailedError):  # what Temporal alone answers
            await handle.query(SlowFirstAnswer.status)
        _slow_answers_left = 1
        assert await query(handle, SlowFirstAnswer.status) == "waiting"
        await handle.terminate()
