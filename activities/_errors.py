"""Map the adapter error taxonomy to Temporal failures."""

from __future__ import annotations

import time
from collections.abc import Awaitable
from typing import TypeVar

import structlog
from temporalio.exceptions import ApplicationError

from adapters.errors import AdapterError, Misconfigured, NotFound, Rejected, Transient
from motcua.observability._metrics import ADAPTER_CALL_SECONDS, ADAPTER_CALLS

T = TypeVar("T")
_RESULTS = (
    "ok",
    "error",
    *(kind.__name__ for kind in (NotFound, Rejected, Transient, Misconfigured)),
)
_COUNTED: set[tuple[str, str]] = set()
log = structlog.get_logger("motcua.adapters")


async def call_adapter(adapter: str, operation: str, call: Awaitable[T]) -> T:
    """Await an adapter call, count and time it, and turn a permanent adapter error into a
    non-retryable ``ApplicationError``; a retryable one propagates and Temporal retries it."""
    if (adapter, operation) not in _COUNTED:
        # Every result's counter at zero from the first call on: the error-rate alert's rate()
        # then sees the first failure as an increase (a series born at 1 has none).
        for result_label in _RESULTS:
            ADAPTER_CALLS.labels(adapter, operation, result_label)
        _COUNTED.add((adapter, operation))
    started = time.perf_counter()
    try:
        result = await call
    except AdapterError as exc:
        ADAPTER_CALLS.labels(adapter, operation, type(exc).__name__).inc()
        if isinstance(exc, Misconfigured):
            # The dossier waits (retried) until an operator fixes the adapter's settings.
            log.error("adapter.misconfigured", adapter=adapter, operation=operation, error=str(exc))
        if exc.retryable:
            raise
        raise ApplicationError(str(exc), type=type(exc).__name__, non_retryable=True) from exc
    except Exception:
        ADAPTER_CALLS.labels(adapter, operation, "error").inc()
        raise
    finally:
        ADAPTER_CALL_SECONDS.labels(adapter, operation).observe(time.perf_counter() - started)
    ADAPTER_CALLS.labels(adapter, operation, "ok").inc()
    return result
