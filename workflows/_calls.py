"""Every activity call a dossier makes goes through here: one place for task queues, timeouts
and retries."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, TypeVar

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from activities.contracts import ActivityRef

In = TypeVar("In")
Out = TypeVar("Out")

LOCAL = timedelta(seconds=30)
# Bounds how long a crashed worker delays a dossier: an adapter call lost with it is retried
# after this. Adapters keep their own HTTP timeouts well below it.
ADAPTER_CALL = timedelta(seconds=20)
# Adapter outages must make a dossier wait, not fail: retry until the system comes back.
ADAPTER_RETRY = RetryPolicy(maximum_interval=timedelta(minutes=5))


def start(
    ref: ActivityRef[In, Out], arg: In, *, queue: str | None = None
) -> workflow.ActivityHandle[Out]:
    """Start an adapter call on ``queue`` (an agency's worker; None: the engine's own)."""
    return workflow.start_activity(
        ref.name,
        arg,
        result_type=ref.output,
        task_queue=queue,
        start_to_close_timeout=ADAPTER_CALL,
        retry_policy=ADAPTER_RETRY,
    )


async def local(ref: ActivityRef[In, Out], arg: In) -> Out:
    """Run a short internal step (projection, code, calendar) in the worker, no round trip."""
    result: Any = await workflow.execute_local_activity(
        ref.name, arg, result_type=ref.output, start_to_close_timeout=LOCAL
    )
    return result


def send(ref: ActivityRef[In, Out], arg: In) -> workflow.ActivityHandle[Out]:
    """Start a notice from the engine's worker itself, as a local activity.

    A notice is fire and forget: as a regular activity its scheduling, start and completion, and
    the workflow task its completion woke for nothing, were six history events and most of its
    CPU. The price: the workflow task that sends it waits for the call (a slow notification
    service delays the answer to the officer who acted), and retries after the first 2 seconds
    go through timers."""
    return workflow.start_local_activity(
        ref.name,
        arg,
        result_type=ref.output,
        start_to_close_timeout=ADAPTER_CALL,
        retry_policy=ADAPTER_RETRY,
        local_retry_threshold=NOTICE_LOCAL_RETRIES,
    )


NOTICE_LOCAL_RETRIES = timedelta(seconds=2)


def abandon(handle: workflow.ActivityHandle[Any]) -> None:
    """Cancel an activity whose answer is no longer needed; its cancellation is expected, so
    it is not left as an exception nobody retrieved."""
    handle.add_done_callback(lambda done: done.cancelled() or done.exception())
    handle.cancel()
