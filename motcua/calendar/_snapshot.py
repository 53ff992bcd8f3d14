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

Window = tuple[date, date]


def window_spanning(first: date, last: date | None = None) -> Window:
    """From 1 January of ``first``'s year to 31 December two years after ``last``'s (``first``'s
    if None): a dossier's working-day deadlines, with the pauses and the extension that can move
    them, end well within two years of the day they are counted from."""
    return date(first.year, 1, 1), date((last or first).year + 2, 12, 31)


class CalendarSnapshot(BaseModel):
    """`WorkCalendar` as data, named by a hash of its whole content.

    ``window``: the first and last day whose holidays and announced days it holds (both
    included); None for the whole calendar, which is what histories recorded before windows
    hold. The version is the whole calendar's either way: it is what a worker stamps.
    """

    model_config = ConfigDict(frozen=True, ignored_types=(cached_property,))

    version: str
    holidays: list[date]
    extra_working_days: list[date]
    extra_days_off: list[date]
    tz: str
    periods: list[tuple[time, time]]
    cutoff: time
    window: Window | None = None

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
        # The window is left out so that the hash of a whole calendar is the one it always was.
        content = unversioned.model_dump_json(exclude={"version", "window"}).encode()
        return unversioned.model_copy(update={"version": hashlib.sha256(content).hexdigest()[:16]})

    def within(self, window: Window) -> CalendarSnapshot:
        """This snapshot with only the holidays and announced days inside ``window``.

        Raises:
            ValueError: ``window`` reaches past the days this snapshot holds.
        """
        first, last = window
        if not self.covers(first, last):
            raise ValueError(f"{first}..{last} is not inside the window {self.window}")

        def inside(days: list[date]) -> list[date]:
            return [d for d in days if first <= d <= last]

        # A new model, not `model_copy`: a copy would keep this one's cached `calendar`.
        return CalendarSnapshot.model_validate(
            self.model_dump()
            | {
                "window": window,
                "holidays": inside(self.holidays),
                "extra_working_days": inside(self.extra_working_days),
                "extra_days_off": inside(self.extra_days_off),
            }
        )

    def covers(self, *days: date) -> bool:
        """Whether this snapshot knows whether each of ``days`` is a working day."""
        if self.window is None:
            return True
        first, last = self.window
        return all(first <= d <= last for d in days)

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


@lru_cache(maxsize=64)
def windowed_snapshot_of(calendar: WorkCalendar, window: Window) -> CalendarSnapshot:
    """``snapshot_of(calendar).within(window)``, once per calendar and window: a worker hands
    the same few windows (this year's and the next ones') to every dossier."""
    return snapshot_of(calendar).within(window)


_TAG = "+calendar."


def build_id(release: str, calendar: CalendarSnapshot) -> str:
    """The engine worker's build id: its release and the version of its calendar."""
    return f"{release}{_TAG}{calendar.version}"


def calendar_version(build: str | None) -> str | None:
    """The calendar version in a worker's build id (None: a worker that stamps none)."""
    if build is None or _TAG not in build:
        return None
    return build.rpartition(_TAG)[2]
