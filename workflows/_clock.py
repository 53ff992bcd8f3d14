"""The dossier's clocks: the working calendar it computes its due dates on, and the one seam of
the demo's fast clock (calendar time runs ``time_scale`` times faster than workflow time from
``clock_epoch``; with the default scale of 1 every conversion is the identity)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.contracts import WORKING_CALENDAR, CalendarWanted, DueAnswer, DueRequest
    from motcua.calendar import CalendarSnapshot, DossierClock, calendar_version
    from motcua.definitions import WorkSpan
    from motcua.dossier import RunOptions
    from workflows._calls import local


class Clock:
    def __init__(self, options: RunOptions) -> None:
        self.scale = options.time_scale
        self.epoch = options.clock_epoch
        self._calendar: CalendarSnapshot | None = None

    def adopt(self, calendar: CalendarSnapshot) -> None:
        """Compute dues on ``calendar``, handed over by a local activity (so a replay adopts the
        same one at the same point)."""
        self._calendar = calendar

    def span(self, calendar: timedelta) -> timedelta:
        """How long a calendar duration (a lapse, a window) lasts in workflow time."""
        return calendar / self.scale

    def calendar_time(self, instant: datetime) -> datetime:
        """``instant`` (workflow time) on the demo's fast clock."""
        return DossierClock(self.scale, self.epoch or instant).virtual(instant)

    def facts(self) -> dict[str, Any]:
        """What the analysis needs to read this dossier's timestamps as calendar time."""
        if self.scale == 1 or self.epoch is None:
            return {}
        return {"time_scale": self.scale, "clock_epoch": self.epoch}

    async def due(self, start: datetime, span: WorkSpan, *, cutoff: bool = True) -> DueAnswer:
        """The due instant of ``span`` working time from ``start`` on the working calendar of
        the worker running this workflow task (its stamp, in the history: replay-safe)."""
        request = DueRequest(
            start=start, span=span, cutoff=cutoff, time_scale=self.scale, clock_epoch=self.epoch
        )
        stamp = workflow.info().get_current_deployment_version()
        wanted = calendar_version(stamp.build_id if stamp else None)
        if self._calendar is None or wanted not in (None, self._calendar.version):
            first = self._day(request, start) if self._calendar else None
            await self._fetch(first, first)
        answer = request.answer(self._held.calendar)
        first, last = self._day(request, start), self._day(request, answer.due_at)
        # The arithmetic read only the days from the start's to the due's: when the window
        # holds both, no holiday it lacks could have moved the due. A due past the window may
        # be too early (a later holiday would have pushed it): ask for the days up to it and
        # count again. A whole calendar (every history recorded before windows) never asks.
        while not self._held.covers(first, last):
            await self._fetch(first, last)
            answer = request.answer(self._held.calendar)
            last = self._day(request, answer.due_at)
        return answer

    @property
    def _held(self) -> CalendarSnapshot:
        assert self._calendar is not None, "the dossier's first local activity hands one over"
        return self._calendar

    def _day(self, request: DueRequest, instant: datetime) -> date:
        return request.calendar_day(instant, self._held.calendar)

    async def _fetch(self, first: date | None, last: date | None) -> None:
        """Hold the worker's calendar, windowed around ``first`` to ``last`` (whole if None)."""
        held = self._calendar.version if self._calendar else ""
        wanted = CalendarWanted(held=held, first=first, last=last)
        self._calendar = await local(WORKING_CALENDAR, wanted)
