"""Build a :class:`WorkCalendar` from the statutory holidays and an announced-calendar file."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from motcua.calendar._calendar import WorkCalendar
from motcua.calendar._overrides import read_overrides
from motcua.calendar._statutory import statutory_days

DEFAULT_OVERRIDES = Path(__file__).with_name("vn_announced.yaml")
DEFAULT_YEARS = range(2020, 2036)


def load_calendar(
    *, overrides: Path | None = None, years: Iterable[int] | None = None
) -> WorkCalendar:
    """Load the Vietnamese working calendar.

    Statutory holidays (with substitute days) come from the ``holidays`` package for ``years``;
    the announced schedule (Tết, bridge days off, make-up Saturdays) comes from ``overrides``,
    whose dates apply whatever ``years`` is. Outside ``years`` only weekends are days off.

    Args:
        overrides: YAML file of announced days; the packaged ``vn_announced.yaml`` if None.
        years: Years to take statutory holidays for; 2020 to 2035 if None.

    Returns:
        The calendar with the default zone (Asia/Ho_Chi_Minh), periods and 15:00 cut-off.

    Raises:
        ValueError: The override file is malformed (the message names file and line).
        OSError: The override file cannot be read.
    """
    statutory = statutory_days(DEFAULT_YEARS if years is None else years)
    announced = read_overrides(DEFAULT_OVERRIDES if overrides is None else overrides)
    return WorkCalendar(
        holidays=statutory.holidays,
        # The package knows some announced swaps too; the union keeps whichever is listed.
        extra_working_days=statutory.working_days | announced.working_days,
        extra_days_off=announced.days_off,
    )


@lru_cache(maxsize=1)
def default_calendar() -> WorkCalendar:
    """The calendar from the packaged announcements, loaded once per process."""
    return load_calendar()
