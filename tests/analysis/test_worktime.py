"""The vectorised working-time clock agrees with the calendar's own arithmetic."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.analysis import WorkClock
from motcua.analysis._worktime import epoch_seconds, from_epoch
from motcua.calendar import VIETNAM_TZ, WorkCalendar, default_calendar

FIRST, LAST = date(2025, 12, 1), date(2027, 3, 31)
# Period edges and the cut-off: where an off-by-one would show.
EDGES = [time(7, 30), time(11, 30), time(13, 0), time(15, 0), time(17, 0), time(0, 0)]


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return default_calendar()


@pytest.fixture(scope="module")
def clock(cal: WorkCalendar) -> WorkClock:
    return WorkClock.build(cal, date(2025, 11, 1), date(2027, 6, 30))


instants = st.one_of(
    st.datetimes(
        min_value=datetime(2025, 12, 1), max_value=datetime(2027, 3, 31), timezones=st.just(UTC)
    ),
    st.builds(
        lambda d, t: datetime.combine(d, t, tzinfo=VIETNAM_TZ),
        st.dates(FIRST, LAST),
        st.sampled_from(EDGES),
    ),
)


@settings(max_examples=300, deadline=None)
@given(a=instants, b=instants)
def test_working_seconds_agree_with_the_calendar(
    cal: WorkCalendar, clock: WorkClock, a: datetime, b: datetime
) -> None:
    got = clock.between(np.array([epoch_seconds(a)]), np.array([epoch_seconds(b)]))[0]
    assert got == pytest.approx(cal.working_seconds_between(a, b), abs=1e-3)


def test_a_whole_array_of_random_intervals_agrees(cal: WorkCalendar, clock: WorkClock) -> None:
    rng = random.Random(7)
    span = (LAST - FIRST).days * 86400
    base = datetime.combine(FIRST, time(), tzinfo=UTC)
    a = [base + timedelta(seconds=rng.uniform(0, span)) for _ in range(2000)]
    b = [x + timedelta(seconds=rng.expovariate(1 / (5 * 86400))) for x in a]
    got = clock.between(
        np.array([epoch_seconds(x) for x in a]), np.array([epoch_seconds(x) for x in b])
    )
    want = [cal.working_seconds_between(x, y) for x, y in zip(a, b, strict=True)]
    np.testing.assert_allclose(got, want, atol=1e-3)


@settings(max_examples=200, deadline=None)
@given(start=instants, hours=st.floats(min_value=0, max_value=200))
def test_adding_working_hours_lands_where_the_calendar_does(
    cal: WorkCalendar, clock: WorkClock, start: datetime, hours: float
) -> None:
    got = clock.add(np.array([epoch_seconds(start)]), np.array([hours * 3600]))[0]
    want = cal.add_working_hours(start, hours)
    assert abs(from_epoch(float(got)) - want) <= timedelta(milliseconds=1)


def test_missing_instants_stay_missing(clock: WorkClock) -> None:
    t = epoch_seconds(datetime(2026, 3, 2, 3, tzinfo=UTC))
    assert np.isnan(clock.between(np.array([t]), np.array([np.nan]))).all()
