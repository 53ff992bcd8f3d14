"""The one seam of the demo's fast clock: calendar time runs ``time_scale`` times faster than
workflow time from ``clock_epoch``. With the default scale of 1 every method is the identity."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.contracts import COMPUTE_DUE, COMPUTE_DUES, DueAnswer, DueRequest, DuesRequest
    from motcua.definitions import WorkSpan
    from motcua.dossier import RunOptions
    from workflows._calls import local


class Clock:
    def __init__(self, options: RunOptions) -> None:
        self.scale = options.time_scale
        self.epoch = options.clock_epoch

    def span(self, calendar: timedelta) -> timedelta:
        """How long a calendar duration (a lapse, a window) lasts in workflow time."""
        return calendar / self.scale

    def facts(self) -> dict[str, Any]:
        """What the analysis needs to read this dossier's timestamps as calendar time."""
        if self.scale == 1 or self.epoch is None:
            return {}
        return {"time_scale": self.scale, "clock_epoch": self.epoch}

    async def due(self, start: datetime, span: WorkSpan, *, cutoff: bool = True) -> DueAnswer:
        """The due instant of ``span`` working time from ``start`` on the working calendar."""
        return await local(COMPUTE_DUE, self._request(start, span, cutoff))

    async def dues(self, start: datetime, *spans: tuple[WorkSpan, bool]) -> list[DueAnswer]:
        """:meth:`due` of each ``(span, cutoff)``, in one local activity."""
        batch = DuesRequest(requests=[self._request(start, s, cutoff) for s, cutoff in spans])
        return (await local(COMPUTE_DUES, batch)).answers

    def _request(self, start: datetime, span: WorkSpan, cutoff: bool) -> DueRequest:
        return DueRequest(
            start=start, span=span, cutoff=cutoff, time_scale=self.scale, clock_epoch=self.epoch
        )
