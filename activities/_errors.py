"""Map the adapter error taxonomy to Temporal failures."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TypeVar

from temporalio.exceptions import ApplicationError

from adapters.errors import AdapterError
from motcua.observability._metrics import ADAPTER_CALLS

T = TypeVar("T")


async def call_adapter(adapter: str, operation: str, call: Awaitable[T]) -> T:
    """Await an adapter call, count it, and turn a permanent adapter error into a
    non-retryable ``ApplicationError`` (a transient one propagates and is retried)."""
    try:
        result = await call
    except AdapterError as exc:
        ADAPTER_CALLS.labels(adapter, operation, type(exc).__name__).inc()
        if exc.retryable:
            raise
        raise ApplicationError(str(exc), type=type(exc).__name__, non_retryable=True) from exc
    except Exception:
        ADAPTER_CALLS.labels(adapter, operation, "error").inc()
        raise
    ADAPTER_CALLS.labels(adapter, operation, "ok").inc()
    return result
