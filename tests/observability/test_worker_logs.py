"""A worker's logs carry no personal data: the Temporal SDK logs an activity's failure, message
and traceback included, and its core's own warnings, through the same redacting handler as
motcua's own events."""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
from temporalio import activity, workflow
from temporalio.client import Client, WorkflowFailureError
from temporalio.common import RetryPolicy
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import UnsandboxedWorkflowRunner, Worker

from motcua.observability import configure_logging

PERSONAL_ID = "001203004512"
PHONE = "84912345678"
NAME = "Nguyễn Thị Lan"


@activity.defn(name="motcua.verify_applicant")
async def failing_lookup(personal_id: str) -> str:
    # As an adapter would: the citizen's ID and phone end up in the error's message.
    raise ApplicationError(
        f"no citizen {personal_id}. Contact: {PHONE}, full_name={NAME}",
        non_retryable=True,
    )


@workflow.defn(name="LookupCitizen")
class LookupCitizen:
    @workflow.run
    async def run(self, personal_id: str) -> str:
        workflow.logger.info("lookup.started %s", {"personal_id": personal_id, "name": NAME})
        return await workflow.execute_activity(
            failing_lookup,
            personal_id,
            start_to_close_timeout=timedelta(seconds=10),
            retry_policy=RetryPolicy(maximum_attempts=1),
        )


@pytest.fixture
def json_logs() -> Iterator[None]:
    configure_logging(fmt="json", level="INFO")
    yield
    logging.getLogger().handlers.clear()


async def test_an_activity_failure_naming_a_citizen_is_logged_redacted(
    dev_env: WorkflowEnvironment, json_logs: None, capsys: pytest.CaptureFixture[str]
) -> None:
    queue = f"test-{uuid.uuid4().hex}"
    async with Worker(
        dev_env.client,
        task_queue=queue,
        workflows=[LookupCitizen],
        activities=[failing_lookup],
        workflow_runner=UnsandboxedWorkflowRunner(),
    ):
        with pytest.raises(WorkflowFailureError):
            await dev_env.client.execute_workflow(
                LookupCitizen.run, PERSONAL_ID, id=f"lookup-{uuid.uuid4()}", task_queue=queue
            )
    output = capsys.readouterr().err
    lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    failed = [line for line in lines if line["logger"] == "temporalio.activity"]
    assert failed, output  # the SDK's "Completing activity as failed", with its traceback
    assert "001*******12" in failed[0]["exception"]
    assert any(
        line["event"].startswith("lookup.started {'personal_id': '[redacted]'") for line in lines
    )
    for clear in (PERSONAL_ID, PHONE, NAME):
        assert clear not in output


@activity.defn(name="motcua.noop")
async def noop() -> None:
    return None


async def test_the_temporal_cores_own_warnings_go_through_the_handler(
    skipping_env: WorkflowEnvironment, json_logs: None, capfd: pytest.CaptureFixture[str]
) -> None:
    # The time-skipping server lacks a capability the core warns about when a worker starts.
    # A client connected after configure_logging uses the runtime that forwards core logs.
    address = skipping_env.client.service_client.config.target_host
    client = await Client.connect(address)
    seen = ""
    async with Worker(client, task_queue=f"test-{uuid.uuid4().hex}", activities=[noop]):
        for _ in range(200):
            seen += capfd.readouterr().err
            if '"logger": "temporalio.core"' in seen:
                break
            await asyncio.sleep(0.05)
    lines = [json.loads(line) for line in seen.splitlines() if line.startswith("{")]
    core = [line for line in lines if line["logger"] == "temporalio.core"]
    assert core and core[0]["level"] == "warning", seen
    assert "temporal_log" not in core[0]
    raw = [line for line in seen.splitlines() if not line.startswith("{")]
    assert not [line for line in raw if "temporalio_sdk_core" in line]  # none past the handler
