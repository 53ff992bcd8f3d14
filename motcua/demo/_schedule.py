"""Acting at virtual instants: each simulated person's errand is a task that sleeps until the
demo clock reaches its moment, re-reading the clock so that a slowdown delays it too."""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime

from temporalio.client import WorkflowUpdateRPCTimeoutOrCancelledError

from motcua.demo._clock import DemoClock, utc_now
from motcua.engine import CommandRefused

# The longest real sleep before the clock is read again (it may have slowed meanwhile).
RECHECK_SECONDS = 0.5


@dataclass
class Scheduler:
    clock: DemoClock
    started: set[str] = field(default_factory=set)
    jobs: set[asyncio.Task[None]] = field(default_factory=set)

    scales: dict[str, float] = field(default_factory=dict)  # workflow id → its clock's scale

    async def until(self, virtual: datetime) -> None:
        """Sleep until the demo clock shows ``virtual``."""
        while (wait := (self.clock.real(virtual) - utc_now()).total_seconds()) > 0:
            await asyncio.sleep(min(wait, RECHECK_SECONDS))

    def scale_of(self, workflow_id: str) -> float | None:
        """The clock speed a dossier of this run was submitted with (a bundle member: its
        bundle's); None for a dossier this run did not file."""
        found = self.scales.get(workflow_id)
        return found if found is not None else self.scales.get(workflow_id.rpartition(".")[0])

    def spawn(self, key: str, errand: Callable[[], Awaitable[None]]) -> None:
        """Run ``errand`` once per ``key``, in the background."""
        if key in self.started:
            return
        self.started.add(key)

        async def job() -> None:
            # The dossier moved on (withdrawn, lapsed, decided): nothing left to do.
            with contextlib.suppress(CommandRefused, WorkflowUpdateRPCTimeoutOrCancelledError):
                await errand()

        task = asyncio.create_task(job())
        self.jobs.add(task)
        task.add_done_callback(self.jobs.discard)

    def cancel(self) -> None:
        for job in list(self.jobs):
            job.cancel()


@dataclass(frozen=True)
class Draws:
    """Random draws keyed by what they are for, so the same seed gives the same office whatever
    order the engine's events arrive in (and at whatever clock speed)."""

    seed: int
    run_id: str  # part of every workflow id this run made; left out of the keys

    def rng(self, workflow_id: str, *purpose: object) -> random.Random:
        stable = workflow_id.replace(self.run_id, "")
        return random.Random(f"{self.seed}:{stable}:{purpose}")
