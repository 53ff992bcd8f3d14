"""A working calendar as data: what a dossier computes its due dates on.

A workflow cannot read the calendar file (a replay must give the dates the first run gave), so a
local activity hands it the calendar once, as a snapshot recorded in the history, and the
workflow does the arithmetic itself: four local activities fewer per dossier. The version names
the content, and the engine worker stamps it on every workflow task it completes (in its build
id, :func:`build_id`): a dossier whose task runs on a worker with another calendar asks that
worker for its calendar before it computes a due date, and a replay reads the same stamps.
"""

from __future__ import annotations

import hashlib
from datetime import date, time
from functools import cached_property, lru_cache
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict

from motcua.calendar._calendar import WorkCalendar


class CalendarSnapshot(BaseModel):
    """`WorkCalendar` as data, named by a hash of its content."""

    model_config = ConfigDict(frozen=True, ignored_types=(cached_property,))

    version: str
    holidays: list[date]
    extra_working_days: list[date]
    extra_days_off: list[date]
    tz: str
    periods: list[tuple[time, time]]
    cutoff: time

    @classmethod
    def of(cls, calendar: WorkCalendar) -> CalendarSnapshot:
        unversioned = cls(
            version="",
            holidays=sorted(calendar.holidays),
            extra_working_days=sorted(calendar.extra_working_days),
            extra_days_off=sorted(calendar.extra_days_off),
            tz=calendar.tz.key,
            periods=list(calendar.periods),
            cutoff=calendar.cutoff,
        )
        content = unversioned.model_dump_json(exclude={"version"}).encode()
        return unversioned.model_copy(update={"version": hashlib.sha256(content).hexdigest()[:16]})

    @cached_property
    def calendar(self) -> WorkCalendar:
        return WorkCalendar(
            holidays=frozenset(self.holidays),
            extra_working_days=frozenset(self.extra_working_days),
            extra_days_off=frozenset(self.extra_days_off),
            tz=ZoneInfo(self.tz),
            periods=tuple(self.periods),
            cutoff=self.cutoff,
        )


@lru_cache(maxsize=4)
def snapshot_of(calendar: WorkCalendar) -> CalendarSnapshot:
    """`CalendarSnapshot.of`, once per calendar a process holds."""
    return CalendarSnapshot.of(calendar)


_TAG = "+calendar."


def build_id(release: str, calendar: CalendarSnapshot) -> str:
    """The engine worker's build id: its release and the version of its calendar."""
    return f"{release}{_TAG}{calendar.version}"


def calendar_version(build: str | None) -> str | None:
    """The calendar version in a worker's build id (None: a worker that stamps none)."""
    if build is None or _TAG not in build:
        return None
    return build.rpartition(_TAG)[2]
