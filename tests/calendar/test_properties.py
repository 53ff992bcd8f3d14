"""Property tests of the working-time arithmetic on the packaged calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.calendar import WorkCalendar, default_calendar

CAL = default_calendar()  # hypothesis cannot take function-scoped fixtures
FAST = settings(max_examples=60, deadline=None)
# Microsecond rounding of float hours, in hours.
TOLERANCE = 1e-6

ZONES = st.sampled_from([CAL.tz, UTC, ZoneInfo("Europe/Paris"), ZoneInfo("America/New_York")])

instants = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2027, 6, 30), timezones=ZONES
)
hours = st.floats(min_value=0, max_value=120, allow_nan=False, allow_infinity=False)


@st.composite
def working_instants(draw: st.DrawFn) -> datetime:
    """An instant inside a working period, ``[start, end)``."""
    day = draw(st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 6, 30)))
    if not CAL.is_working_day(day):
        day = CAL.next_working_day(day)
    start, end = draw(st.sampled_from(CAL.periods))
    opening = datetime.combine(day, start, tzinfo=CAL.tz)
    length = datetime.combine(day, end, tzinfo=CAL.tz) - opening
    offset = draw(st.integers(min_value=0, max_value=length // timedelta(microseconds=1) - 1))
    zone = draw(ZONES)
    return (opening + timedelta(microseconds=offset)).astimezone(zone)


def _in_a_period(cal: WorkCalendar, instant: datetime, *, closed: bool) -> bool:
    local = instant.astimezone(cal.tz)
    if not cal.is_working_day(local.date()):
        return False
    for start, end in cal.periods:
        if start <= local.time() < end or (closed and local.time() == end):
            return True
    return False


@FAST
@given(start=working_instants(), h=hours)
def test_adding_then_measuring_gives_the_hours_back(start: datetime, h: float) -> None:
    end = CAL.add_working_hours(start, h)
    assert abs(CAL.working_hours_between(start, end) - h) < TOLERANCE


@FAST
@given(start=instants, h=hours)
def test_results_fall_in_a_working_period(start: datetime, h: float) -> None:
    end = CAL.add_working_hours(start, h)
    assert end.tzinfo is UTC
    assert end >= start
    # A positive sum may end exactly at a period end; a zero sum is strictly inside.
    assert _in_a_period(CAL, end, closed=h > 0)
    back = CAL.subtract_working_hours(start, h)
    assert back <= start
    assert _in_a_period(CAL, back, closed=True)


@FAST
@given(start=instants, a=hours, b=hours)
def test_monotonic_in_hours(start: datetime, a: float, b: float) -> None:
    low, high = sorted((a, b))
    assert CAL.add_working_hours(start, low) <= CAL.add_working_hours(start, high)
    assert CAL.subtract_working_hours(start, low) >= CAL.subtract_working_hours(start, high)


@FAST
@given(start=working_instants(), days=st.floats(min_value=0, max_value=15, allow_nan=False))
def test_subtract_inverts_add(start: datetime, days: float) -> None:
    end = CAL.add_working_days(start, days)
    assert CAL.subtract_working_days(end, days) == start


@FAST
@given(
    day=st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 6, 30)),
    days=st.integers(min_value=1, max_value=20),
)
def test_whole_days_from_opening_end_at_closing(day: date, days: int) -> None:
    day = day if CAL.is_working_day(day) else CAL.next_working_day(day)
    opening = datetime.combine(day, CAL.periods[0][0], tzinfo=CAL.tz)
    end = CAL.add_working_days(opening, days).astimezone(CAL.tz)
    assert end.time() == CAL.periods[-1][1]
    assert CAL.working_hours_between(opening, end) == days * CAL.hours_per_day


@FAST
@given(a=instants, b=instants, c=instants)
def test_elapsed_time_is_additive(a: datetime, b: datetime, c: datetime) -> None:
    a, b, c = sorted((a, b, c))
    whole = CAL.working_seconds_between(a, c)
    parts = CAL.working_seconds_between(a, b) + CAL.working_seconds_between(b, c)
    assert abs(whole - parts) < TOLERANCE


@FAST
@given(a=instants, b=instants, p=instants, q=instants)
def test_one_suspension_removes_exactly_its_working_overlap(
    a: datetime, b: datetime, p: datetime, q: datetime
) -> None:
    a, b = sorted((a, b))
    p, q = sorted((p, q))
    overlap = CAL.working_seconds_between(max(a, p), min(b, q))
    expected = CAL.working_seconds_between(a, b) - overlap
    assert abs(CAL.working_seconds_between(a, b, suspended=[(p, q)]) - expected) < TOLERANCE


@FAST
@given(a=instants, b=instants, p1=instants, q1=instants, p2=instants, q2=instants)
def test_overlapping_suspensions_count_once(
    a: datetime,
    b: datetime,
    p1: datetime,
    q1: datetime,
    p2: datetime,
    q2: datetime,
) -> None:
    a, b = sorted((a, b))
    first = (min(p1, q1), max(p1, q1))
    second = (min(p2, q2), max(p2, q2))

    def work(lo: datetime, hi: datetime) -> float:
        return CAL.working_seconds_between(max(lo, a), min(hi, b))

    # Inclusion-exclusion, computed without the calendar's own merging.
    both = work(first[0], first[1]) + work(second[0], second[1])
    both -= work(max(first[0], second[0]), min(first[1], second[1]))
    expected = CAL.working_seconds_between(a, b) - both
    got = CAL.working_seconds_between(a, b, suspended=[first, second, first])
    assert abs(got - expected) < TOLERANCE
    assert got >= 0
