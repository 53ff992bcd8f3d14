"""The working-day calendar for the workflows, as local activities.

A dossier computes its own dues, on the calendar its first local activity handed it or, after a
worker with another calendar took over, on the one `working_calendar` hands it
(``workflows/_clock.py``). A bundle computes its one deadline here.
"""

from __future__ import annotations

from temporalio import activity

from activities.contracts import CalendarWanted, DueAnswer, DueRequest
from motcua.calendar import (
    CalendarSnapshot,
    WorkCalendar,
    snapshot_of,
    window_spanning,
    windowed_snapshot_of,
)


class DeadlineActivities:
    def __init__(self, calendar: WorkCalendar) -> None:
        self._calendar = calendar

    # Async although it never awaits: it is a few microseconds of arithmetic, which the event
    # loop runs at once instead of handing it to an executor thread and back.
    @activity.defn(name="motcua.compute_due")
    async def compute_due(self, request: DueRequest) -> DueAnswer:
        return self.due(request)

    @activity.defn(name="motcua.working_calendar")
    async def working_calendar(self, wanted: CalendarWanted) -> CalendarSnapshot:
        """This worker's calendar, windowed around the days ``wanted`` names (whole if none)."""
        if wanted.first is None:
            snapshot = snapshot_of(self._calendar)
        else:
            window = window_spanning(wanted.first, wanted.last)
            snapshot = windowed_snapshot_of(self._calendar, window)
        activity.logger.info(
            "calendar %s (%s) replaces %s", snapshot.version, snapshot.window, wanted.held
        )
        return snapshot

    def due(self, request: DueRequest) -> DueAnswer:
        """The due and warning instants of ``request``."""
        return request.answer(self._calendar)
