"""Deadline arithmetic on the working-day calendar, as a local activity.

It is an activity rather than a workflow function because the calendar file changes (Tết
schedules are announced yearly) and a replayed dossier must keep the dates it was given.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict
from temporalio import activity

from motcua.calendar import WorkCalendar
from motcua.definitions import WorkSpan


class DueRequest(BaseModel):
    model_config = ConfigDict(frozen=True)

    start: datetime
    span: WorkSpan
    time_scale: float = 1.0
    cutoff: bool = True  # apply the 15:00 cut-off to ``start`` (a receipt), or count from it as is
    warn_working_days: float = 1.0


class DueAnswer(BaseModel):
    model_config = ConfigDict(frozen=True)

    due_at: datetime
    warn_at: datetime  # ``warn_working_days`` before the due instant (apology, "early")


class DeadlineActivities:
    def __init__(self, calendar: WorkCalendar) -> None:
        self._calendar = calendar

    @activity.defn(name="motcua.compute_due")
    def compute_due(self, request: DueRequest) -> DueAnswer:
        cal, span, start = self._calendar, request.span, request.start
        if request.cutoff:
            due = cal.due(start, span)
        elif span.same_day:
            due = cal.end_of_working_day(cal.clock_start(start).astimezone(cal.tz).date())
        else:
            due = cal.add_working_hours(start, span.hours)
        warn = max(start, cal.subtract_working_days(due, request.warn_working_days))
        # The demo clock compresses calendar time; a scale of 1 leaves the instants as they are.
        scale = request.time_scale
        return DueAnswer(
            due_at=start + (due - start) / scale,
            warn_at=start + (warn - start) / scale,
        )
