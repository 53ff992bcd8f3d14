"""Deadline arithmetic on the working-day calendar, as a local activity.

It is an activity rather than a workflow function because the calendar file changes (Tết
schedules are announced yearly) and a replayed dossier must keep the dates it was given.
"""

from __future__ import annotations

from datetime import datetime

from temporalio import activity

from activities.contracts import DueAnswer, DueRequest, DuesAnswer, DuesRequest
from motcua.calendar import WorkCalendar


class DeadlineActivities:
    def __init__(self, calendar: WorkCalendar) -> None:
        self._calendar = calendar

    # Async although it never awaits: it is a few microseconds of arithmetic, which the event
    # loop runs at once instead of handing it to an executor thread and back.
    @activity.defn(name="motcua.compute_due")
    async def compute_due(self, request: DueRequest) -> DueAnswer:
        return self.due(request)

    @activity.defn(name="motcua.compute_dues")
    async def compute_dues(self, batch: DuesRequest) -> DuesAnswer:
        return DuesAnswer(answers=[self.due(request) for request in batch.requests])

    def due(self, request: DueRequest) -> DueAnswer:
        """The due and warning instants of ``request``."""
        clock = _Clock(request.clock_epoch or request.start, request.time_scale)
        cal, span, start = self._calendar, request.span, clock.virtual(request.start)
        if request.cutoff:
            due = cal.due(start, span)
        elif span.same_day:
            due = cal.end_of_working_day(cal.clock_start(start).astimezone(cal.tz).date())
        else:
            due = cal.add_working_hours(start, span.hours)
        warn = cal.subtract_working_days(due, request.warn_working_days)
        if warn <= start:
            # A same-day deadline leaves no working day to warn in: warn half way instead.
            warn = start + (due - start) / 2
        return DueAnswer(due_at=clock.real(due), warn_at=clock.real(warn))


class _Clock:
    """The demo clock: calendar time runs ``scale`` times faster than real time from ``epoch``.
    With a scale of 1 both conversions are the identity."""

    def __init__(self, epoch: datetime, scale: float) -> None:
        self.epoch, self.scale = epoch, scale

    def virtual(self, real: datetime) -> datetime:
        return self.epoch + (real - self.epoch) * self.scale

    def real(self, virtual: datetime) -> datetime:
        return self.epoch + (virtual - self.epoch) / self.scale
