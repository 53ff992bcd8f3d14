"""The dossier's deadline clock: started at acceptance, stopped for a supplement and restarted
from zero (Decree 118/2025 Art. 19.5), and the one apology with a new date before a dossier
would be late (Art. 19.6)."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.contracts import DueAnswer
    from motcua.definitions import WorkSpan
    from motcua.dossier import DeadlineExtended, Timeliness
    from workflows._dossier import Dossier


def timeliness_of(at: datetime, due: DueAnswer | None) -> Timeliness | None:
    if due is None:
        return None
    if at > due.due_at:
        return "late"
    return "early" if at < due.warn_at else "on_time"


def dossier_timeliness(d: Dossier) -> Timeliness:
    # Decision 766: more than one request to supplement makes the dossier count as late.
    if d.journal.view.supplement_requests > 1:
        return "late"
    return timeliness_of(workflow.now(), d.due) or "on_time"


def start_clock(d: Dossier, due: DueAnswer) -> None:
    # A restart from zero replaces any earlier extended date; the apology itself was the one
    # allowed, so no second one is watched for.
    d.due = due
    d.clock_generation += 1
    if not d.apologised:
        d.watcher = asyncio.create_task(_watch(d, due, d.clock_generation))


def stop_clock(d: Dossier) -> None:
    d.clock_generation += 1  # the watcher retires at its next look; it is never cancelled


async def _watch(d: Dossier, due: DueAnswer, generation: int) -> None:
    """At least one working day before a due date the dossier will miss, apologise and set one
    new date. The watcher is never cancelled mid-way, so an extension it records is projected."""

    def retired() -> bool:
        return d.clock_generation != generation or d.decided or d.terminal

    try:
        await workflow.wait_condition(retired, timeout=max(due.warn_at - workflow.now(), _ZERO))
        return
    except TimeoutError:
        pass
    days = d.proc.deadline.extension_working_days or d.input.options.extension_working_days
    extension = await d.clock.due(due.due_at, WorkSpan(working_days=days), cutoff=False)
    if retired():
        return
    d.apologised = True
    d.journal.record(
        DeadlineExtended,
        due_at=extension.due_at,
        handed_to="citizen",
        original_due_at=due.due_at,
    )
    d.notify("citizen", "apology_extension", new_due_at=extension.due_at.isoformat())
    await d.journal.flush()


_ZERO = timedelta(0)
