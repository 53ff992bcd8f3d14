"""The working-day calendar and deadline arithmetic (Decree 118/2025, Labour Code 2019 Art. 112).

Everything here is a pure function of the calendar value and its arguments: no clock, no I/O.
Working time exists only inside the day's working periods, taken as half-open intervals
``[start, end)`` in the calendar's zone. A forward sum that uses up exactly the rest of a period
ends *at* the period end (17:00, not 07:30 the next morning); a backward sum ends at a period start.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from motcua.calendar._periods import (
    Interval,
    check_periods,
    hours_to_delta,
    merge,
    period_hours,
    to_utc,
)

VIETNAM_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DEFAULT_PERIODS: tuple[tuple[time, time], ...] = (
    (time(7, 30), time(11, 30)),
    (time(13, 0), time(17, 0)),
)
# Decree 118/2025 Art. 18: a dossier received after 15:00 counts from the next working day.
DEFAULT_CUTOFF = time(15, 0)

# A calendar with no working day for ten years is misconfigured; stop instead of looping forever.
_SEARCH_LIMIT_DAYS = 3660


class WorkSpanLike(Protocol):
    """What :meth:`WorkCalendar.due` reads from a span (``motcua.definitions.WorkSpan``)."""

    @property
    def working_days(self) -> float | None: ...

    @property
    def working_hours(self) -> float | None: ...

    @property
    def same_day(self) -> bool: ...


@dataclass(frozen=True)
class WorkCalendar:
    """Working days and hours of Vietnamese state agencies, and deadline arithmetic on them.

    A day is a working day when it is announced as one (``extra_working_days``, e.g. a make-up
    Saturday); otherwise when it is Monday to Friday and neither a holiday nor an announced day
    off. Announcements win over statutory holidays because they are the later, specific rule.

    All methods take timezone-aware datetimes in any zone and return aware UTC datetimes.

    Attributes:
        holidays: Statutory holidays, including substitute days for holidays on a rest day.
        extra_working_days: Announced make-up working days (usually Saturdays).
        extra_days_off: Announced days off beyond the statutory ones (bridge days).
        tz: Zone whose wall clock the working periods and dates are read in.
        periods: Working periods of a day, ordered, as local ``(start, end)`` times.
        cutoff: Receipts after this local time count from the next working day.
    """

    holidays: frozenset[date] = field(default_factory=frozenset)
    extra_working_days: frozenset[date] = field(default_factory=frozenset)
    extra_days_off: frozenset[date] = field(default_factory=frozenset)
    tz: ZoneInfo = field(default=VIETNAM_TZ)
    periods: tuple[tuple[time, time], ...] = DEFAULT_PERIODS
    cutoff: time = DEFAULT_CUTOFF

    def __post_init__(self) -> None:
        check_periods(self.periods)
        if both := self.extra_working_days & self.extra_days_off:
            days = ", ".join(sorted(d.isoformat() for d in both))
            raise ValueError(f"announced both as working day and day off: {days}")

    # -- days ---------------------------------------------------------------------------------

    @property
    def hours_per_day(self) -> float:
        """Working hours in one working day (8.0 with the default periods)."""
        return period_hours(self.periods)

    def is_working_day(self, d: date) -> bool:
        """Whether ``d`` is a working day of the calendar."""
        if d in self.extra_working_days:
            return True
        if d in self.extra_days_off or d in self.holidays:
            return False
        return d.weekday() < 5

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after ``d``."""
        return self._step(d, 1)

    def previous_working_day(self, d: date) -> date:
        """The last working day strictly before ``d``."""
        return self._step(d, -1)

    def end_of_working_day(self, d: date) -> datetime:
        """The end of the last working period of working day ``d``, in UTC.

        Raises:
            ValueError: ``d`` is not a working day.
        """
        if not self.is_working_day(d):
            raise ValueError(f"{d.isoformat()} is not a working day")
        return self._day_periods(d)[-1][1]

    # -- instants -----------------------------------------------------------------------------

    def clock_start(self, received_at: datetime) -> datetime:
        """The instant the deadline clock starts for a dossier received at ``received_at``.

        On a working day at or before the cut-off, the clock starts at the receipt, or at the
        start of the next working period of that day if the office is closed (early morning,
        lunch break). After the cut-off, after the day's last period, or on a day that is not a
        working day, it starts when the next working day opens.
        """
        received = to_utc(received_at, name="received_at")
        local = received.astimezone(self.tz)
        day = local.date()
        # "After 15:00" is strict: a receipt stamped exactly 15:00:00 still counts that day.
        if self.is_working_day(day) and local.time() <= self.cutoff:
            for start, end in self._day_periods(day):
                if end > received:
                    return max(start, received)
        return self._day_periods(self.next_working_day(day))[0][0]

    def add_working_hours(self, start: datetime, hours: float) -> datetime:
        """The instant ``hours`` of working time after ``start``.

        Only time inside working periods counts. The result lies in a working period or at its
        end; adding 0 from outside working time gives the start of the next period.

        Raises:
            ValueError: ``start`` is naive or ``hours`` is negative or not finite.
        """
        now = to_utc(start, name="start")
        remaining = hours_to_delta(hours)
        for period_start, period_end in self._forward(now):
            begin = max(period_start, now)
            if remaining <= period_end - begin:
                return begin + remaining
            remaining -= period_end - begin
        raise AssertionError("unreachable: _forward never ends")  # pragma: no cover

    def subtract_working_hours(self, instant: datetime, hours: float) -> datetime:
        """The instant ``hours`` of working time before ``instant`` (mirror of addition).

        The result lies in a working period or at its start; subtracting 0 from outside
        working time gives the end of the previous period.
        """
        now = to_utc(instant, name="instant")
        remaining = hours_to_delta(hours)
        for period_start, period_end in self._backward(now):
            finish = min(period_end, now)
            if remaining <= finish - period_start:
                return finish - remaining
            remaining -= finish - period_start
        raise AssertionError("unreachable: _backward never ends")  # pragma: no cover

    def add_working_days(self, start: datetime, days: float) -> datetime:
        """``add_working_hours(start, days * hours_per_day)``."""
        return self.add_working_hours(start, days * self.hours_per_day)

    def subtract_working_days(self, instant: datetime, days: float) -> datetime:
        """``subtract_working_hours(instant, days * hours_per_day)``.

        Used for "at least 1 working day before the due date" (Decree 118/2025 Art. 19.6).
        """
        return self.subtract_working_hours(instant, days * self.hours_per_day)

    def due(self, received_at: datetime, span: WorkSpanLike) -> datetime:
        """The due instant of a span counted from a receipt at ``received_at``.

        Args:
            received_at: When the complete, valid dossier was received (aware).
            span: ``same_day`` (end of the working day the clock starts on), or
                ``working_hours`` / ``working_days`` added to :meth:`clock_start`.

        Raises:
            ValueError: The span sets none of its three options.
        """
        start = self.clock_start(received_at)
        if span.same_day:
            return self.end_of_working_day(start.astimezone(self.tz).date())
        if span.working_hours is not None:
            return self.add_working_hours(start, span.working_hours)
        if span.working_days is not None:
            return self.add_working_days(start, span.working_days)
        raise ValueError("span sets none of working_days, working_hours or same_day")

    def working_seconds_between(
        self,
        a: datetime,
        b: datetime,
        *,
        suspended: Sequence[tuple[datetime, datetime]] = (),
    ) -> float:
        """Working time in ``[a, b)`` in seconds, leaving out the ``suspended`` intervals.

        Suspended intervals (e.g. waiting for the citizen's supplement) may overlap each other;
        their union is removed, so no time is subtracted twice. Returns 0 when ``b <= a``.

        Raises:
            ValueError: A datetime is naive or a suspended interval ends before it starts.
        """
        lo, hi = to_utc(a, name="a"), to_utc(b, name="b")
        if hi <= lo:
            return 0.0
        pauses: list[Interval] = []
        for s, e in suspended:
            s_utc, e_utc = to_utc(s, name="suspension start"), to_utc(e, name="suspension end")
            if e_utc < s_utc:
                raise ValueError(f"suspension ends before it starts: {s.isoformat()}")
            pauses.append((max(s_utc, lo), min(e_utc, hi)))
        # Working time is additive over disjoint intervals, so merging first makes this exact.
        total = self._working_time(lo, hi)
        for s_utc, e_utc in merge(pauses):
            total -= self._working_time(s_utc, e_utc)
        return total.total_seconds()

    def working_hours_between(
        self,
        a: datetime,
        b: datetime,
        *,
        suspended: Sequence[tuple[datetime, datetime]] = (),
    ) -> float:
        """:meth:`working_seconds_between` in hours."""
        return self.working_seconds_between(a, b, suspended=suspended) / 3600

    # -- internals ----------------------------------------------------------------------------

    def _step(self, d: date, step: int) -> date:
        for _ in range(_SEARCH_LIMIT_DAYS):
            d += timedelta(days=step)
            if self.is_working_day(d):
                return d
        raise ValueError(f"no working day within {_SEARCH_LIMIT_DAYS} days of {d.isoformat()}")

    def _day_periods(self, d: date) -> list[Interval]:
        """The working periods of day ``d`` as UTC intervals (whether or not ``d`` works)."""
        return [
            (
                datetime.combine(d, start, tzinfo=self.tz).astimezone(UTC),
                datetime.combine(d, end, tzinfo=self.tz).astimezone(UTC),
            )
            for start, end in self.periods
        ]

    def _forward(self, instant: datetime) -> Iterator[Interval]:
        """Working periods ending after ``instant``, in order, without end."""
        day = instant.astimezone(self.tz).date()
        if not self.is_working_day(day):
            day = self.next_working_day(day)
        while True:
            for interval in self._day_periods(day):
                if interval[1] > instant:
                    yield interval
            day = self.next_working_day(day)

    def _backward(self, instant: datetime) -> Iterator[Interval]:
        """Working periods starting at or before ``instant``, latest first, without end."""
        day = instant.astimezone(self.tz).date()
        if not self.is_working_day(day):
            day = self.previous_working_day(day)
        while True:
            for interval in reversed(self._day_periods(day)):
                if interval[0] <= instant:
                    yield interval
            day = self.previous_working_day(day)

    def _working_time(self, lo: datetime, hi: datetime) -> timedelta:
        """Working time in ``[lo, hi)`` (UTC instants)."""
        total = timedelta()
        if hi <= lo:
            return total
        day, last = lo.astimezone(self.tz).date(), hi.astimezone(self.tz).date()
        while day <= last:
            if self.is_working_day(day):
                for start, end in self._day_periods(day):
                    overlap = min(end, hi) - max(start, lo)
                    if overlap > timedelta():
                        total += overlap
            day += timedelta(days=1)
        return total
