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

from motcua.calendar import DossierClock, WorkCalendar
from motcua.demo._clock import DemoClock, utc_now
from motcua.demo._office import Assignment
from motcua.dossier import RunOptions, bundle_of
from motcua.engine import CommandRefused

# The longest real sleep before the clock is read again (it may have slowed meanwhile).
RECHECK_SECONDS = 0.5


def on_own_clock(
    job: Assignment, ready: datetime, calendar: WorkCalendar
) -> tuple[datetime, datetime]:
    """When the officer of ``job`` claims and decides, on the clock of a dossier whose task
    became ready at ``ready`` on that clock.

    A dossier filed before the demo's clock slowed keeps its faster clock: acting at the
    office's instants would put its claims and decisions hours later on its clock, at night,
    where they measure no working time. So it waits as many working hours as the office's
    queue says, then is worked as many as the officer takes, on its own calendar.
    """
    if abs((ready - job.ready).total_seconds()) < 1:  # the office's own clock: its instants
        return job.start, job.end
    waited = calendar.working_hours_between(job.ready, job.start)
    start = calendar.add_working_hours(ready, waited)
    worked = calendar.working_hours_between(job.start, job.end)
    return start, calendar.add_working_hours(start, worked)


@dataclass
class Scheduler:
    clock: DemoClock
    started: set[str] = field(default_factory=set)
    jobs: set[asyncio.Task[None]] = field(default_factory=set)

    filings: dict[str, RunOptions] = field(default_factory=dict)  # workflow id → its options

    def filed(self, workflow_id: str, options: RunOptions) -> None:
        """This run filed ``workflow_id`` with the clock of ``options``."""
        self.filings[workflow_id] = options

    def clock_of(self, workflow_id: str) -> DossierClock | DemoClock:
        """The clock a dossier of this run reads calendar time on (a bundle member: its
        bundle's). After a slowdown it is no longer the demo's: a dossier keeps its own."""
        options = self._options_of(workflow_id)
        if options is None or options.clock_epoch is None:
            return self.clock
        return DossierClock(options.time_scale, options.clock_epoch)

    async def until(self, virtual: datetime, clock: DossierClock | DemoClock | None = None) -> None:
        """Sleep until ``clock`` (default: the demo's) shows ``virtual``."""
        on = clock or self.clock
        while (wait := (on.real(virtual) - utc_now()).total_seconds()) > 0:
            await asyncio.sleep(min(wait, RECHECK_SECONDS))

    def scale_of(self, workflow_id: str) -> float | None:
        """The clock speed a dossier of this run was submitted with (a bundle member: its
        bundle's); None for a dossier this run did not file."""
        options = self._options_of(workflow_id)
        return None if options is None else options.time_scale

    def _options_of(self, workflow_id: str) -> RunOptions | None:
        found = self.filings.get(workflow_id)
        if found is None and (bundle := bundle_of(workflow_id)):
            found = self.filings.get(bundle)
        return found

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
