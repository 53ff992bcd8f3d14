"""Small helpers on instants and intervals shared by the calendar arithmetic."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta

Interval = tuple[datetime, datetime]

# A working time is carried as whole microseconds (timedelta) rather than float hours so that
# adding and subtracting the same span lands on exactly the same instant.
_MICROSECONDS_PER_HOUR = 3_600_000_000


def to_utc(instant: datetime, *, name: str = "instant") -> datetime:
    """Return ``instant`` in UTC, refusing naive datetimes (their zone would be a guess)."""
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got naive {instant.isoformat()}")
    return instant.astimezone(UTC)


def hours_to_delta(hours: float, *, name: str = "hours") -> timedelta:
    """Convert a non-negative, finite number of hours to a microsecond-exact timedelta."""
    if not math.isfinite(hours) or hours < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {hours!r}")
    return timedelta(microseconds=round(hours * _MICROSECONDS_PER_HOUR))


def check_periods(periods: Sequence[tuple[time, time]]) -> None:
    """Reject empty, reversed, overlapping or zone-carrying working periods."""
    if not periods:
        raise ValueError("a working day needs at least one working period")
    previous_end: time | None = None
    for start, end in periods:
        if start.tzinfo is not None or end.tzinfo is not None:
            # Periods are wall-clock times in the calendar's own zone.
            raise ValueError("working periods are local wall-clock times; drop their tzinfo")
        if not start < end:
            raise ValueError(f"working period {start}-{end} must start before it ends")
        if previous_end is not None and start < previous_end:
            raise ValueError(f"working period {start}-{end} overlaps or precedes the one before")
        previous_end = end


def period_hours(periods: Iterable[tuple[time, time]]) -> float:
    """Nominal length of a working day in hours (wall clock, ignoring any DST jump)."""
    anchor = date(2000, 1, 3)
    seconds = sum(
        (datetime.combine(anchor, end) - datetime.combine(anchor, start)).total_seconds()
        for start, end in periods
    )
    return seconds / 3600


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Sort and merge overlapping or touching intervals; empty ones are dropped."""
    merged: list[Interval] = []
    for start, end in sorted(i for i in intervals if i[0] < i[1]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
