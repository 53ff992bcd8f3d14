"""Queries that survive a replay stretched by load.

A query on a workflow the worker no longer caches (a closed dossier, or one evicted) replays its
whole history first. On a loaded machine that replay can outlast the SDK's deadlock detector
(2 s without yielding) and the query fails; with payload encryption on, the failure reaches the
client only as "Encoded failure". Temporal retries a workflow task that fails this way, but not a
query, so a status page would show an error for a dossier that is fine. We retry a failed query a
few times: the replay after the first is warm (modules imported, sandbox built) and fast. A query
that keeps failing is a real fault and is raised.
"""

from __future__ import annotations

import asyncio
from typing import Any

from temporalio.client import WorkflowHandle, WorkflowQueryFailedError

# Pauses before the second and third tries: short, since a query answers a person waiting.
RETRY_PAUSES_SECONDS = (0.2, 1.0)


async def query(handle: WorkflowHandle[Any, Any], method: Any) -> Any:
    """``handle.query(method)``, tried again after a failure that a replay under load explains."""
    for pause in RETRY_PAUSES_SECONDS:
        try:
            return await handle.query(method)
        except WorkflowQueryFailedError:
            await asyncio.sleep(pause)
    return await handle.query(method)
