"""``worker.py`` whose projection stalls, as a worker about to die would: after it has written
the ``task.created`` of step ``$MOTCUA_TEST_STALL_STEP`` to the read model, it never returns, so
the workflow task that created the task never reaches Temporal's history. The test kills it."""

from __future__ import annotations

import asyncio
import contextlib
import os
import time

import worker
from activities.contracts import ProjectionInput, ProjectionReceipt
from activities.store import StoreActivities
from motcua.settings import get_settings

STALL_STEP = os.environ["MOTCUA_TEST_STALL_STEP"]


class StallingStore(StoreActivities):
    def project(self, data: ProjectionInput) -> ProjectionReceipt:
        projected = super().project(data)
        if any(e.type == "task.created" and e.step_id == STALL_STEP for e in data.events):
            time.sleep(3600)  # killed long before
        return projected


if __name__ == "__main__":
    worker.StoreActivities = StallingStore  # type: ignore[misc]
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(worker.run_worker(get_settings()))
