"""Working time on arrays of instants: a cumulative working-seconds clock built from a calendar.

The calendar's working periods over a date range are laid end to end. For each period we keep
its UTC start, its length and the working seconds before it (``offset``). The working seconds
before an instant ``t`` are then ``offset[i] + clip(t - start[i], 0, length[i])`` where ``i`` is
the last period starting at or before ``t``: a single ``searchsorted``. The working time in
``[a, b)`` is ``cum(b) - cum(a)``, so millions of intervals cost a few array operations instead
of one Python call each. Instants are float seconds since the Unix epoch (UTC); NaN stays NaN.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import numpy as np
import numpy.typing as npt

from motcua.calendar import WorkCalendar

FloatArray = npt.NDArray[np.float64]


def epoch_seconds(instant: datetime) -> float:
    """An aware datetime as float seconds since the Unix epoch."""
    if instant.tzinfo is None:
        raise ValueError(f"instant must be timezone-aware, got naive {instant.isoformat()}")
    return instant.timestamp()


def from_epoch(seconds: float) -> datetime:
    """Float epoch seconds back to an aware UTC datetime (microsecond resolution)."""
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=round(seconds * 1e6))


@dataclass(frozen=True)
class WorkClock:
    """Cumulative working seconds of a :class:`WorkCalendar` over a date range.

    Instants outside the range are clamped to it, so build the clock with :meth:`covering`.

    Attributes:
        start: UTC start of each working period, epoch seconds, increasing.
        length: Length of each period in seconds.
        offset: Working seconds in all periods before each one.
    """

    start: FloatArray
    length: FloatArray
    offset: FloatArray

    @classmethod
    def build(cls, calendar: WorkCalendar, first: date, last: date) -> WorkClock:
        """The clock of ``calendar`` over the local days ``first`` to ``last`` inclusive."""
        bounds: list[tuple[float, float]] = []
        day = first
        while day <= last:
            if calendar.is_working_day(day):
                for begin, end in calendar.periods:
                    lo = datetime.combine(day, begin, tzinfo=calendar.tz).timestamp()
                    hi = datetime.combine(day, end, tzinfo=calendar.tz).timestamp()
                    bounds.append((lo, hi))
            day += timedelta(days=1)
        pairs = np.array(bounds, dtype=np.float64).reshape(-1, 2)
        length = pairs[:, 1] - pairs[:, 0]
        offset = np.concatenate(([0.0], np.cumsum(length)[:-1])) if len(length) else length
        return cls(start=pairs[:, 0].copy(), length=length, offset=offset)

    @classmethod
    def covering(
        cls, calendar: WorkCalendar, instants: FloatArray, *, margin_days: int = 60
    ) -> WorkClock:
        """A clock whose range covers every finite instant in ``instants``, with a margin
        (so instants a little after the last one, e.g. simulated ones, still count)."""
        finite = instants[np.isfinite(instants)]
        if finite.size == 0:
            today = datetime.now(UTC).date()
            return cls.build(calendar, today, today)
        lo = from_epoch(float(finite.min())).astimezone(calendar.tz).date()
        hi = from_epoch(float(finite.max())).astimezone(calendar.tz).date()
        return cls.build(
            calendar, lo - timedelta(days=margin_days), hi + timedelta(days=margin_days)
        )

    def cumulative(self, t: FloatArray) -> FloatArray:
        """Working seconds from the start of the range to each instant in ``t``."""
        t = np.asarray(t, dtype=np.float64)
        i = np.searchsorted(self.start, t, side="right") - 1
        before = i < 0
        i = np.maximum(i, 0)
        inside = np.clip(t - self.start[i], 0.0, self.length[i])
        out: FloatArray = np.where(before, 0.0, self.offset[i] + inside)
        return np.where(np.isnan(t), np.nan, out)

    def between(self, a: FloatArray, b: FloatArray) -> FloatArray:
        """Working seconds in ``[a, b)`` for arrays of instants; 0 where ``b <= a``."""
        out: FloatArray = np.maximum(self.cumulative(b) - self.cumulative(a), 0.0)
        return out

    def add(self, t: FloatArray, seconds: FloatArray) -> FloatArray:
        """The instants ``seconds`` of working time after each ``t``.

        Like :meth:`WorkCalendar.add_working_hours`: a sum that uses up a period exactly ends
        at its end, and adding 0 outside working time gives the start of the next period.
        """
        t = np.asarray(t, dtype=np.float64)
        target = self.cumulative(t) + np.asarray(seconds, dtype=np.float64)
        i = np.searchsorted(self.offset, target, side="right") - 1
        i = np.clip(i, 0, len(self.start) - 1)
        # A target exactly at the end of a period that ends after ``t`` stays in that period.
        prev = np.maximum(i - 1, 0)
        at_end = (i > 0) & (target == self.offset[i]) & (self.start[prev] + self.length[prev] > t)
        i = np.where(at_end, prev, i)
        out: FloatArray = self.start[i] + (target - self.offset[i])
        return out
