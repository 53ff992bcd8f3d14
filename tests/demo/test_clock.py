"""The demo clock: continuous across a slowdown, read by the engine exactly as the demo reads it,
and slowed by the governor only when tasks lag more than the budget allows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from motcua.demo import DemoClock, LagGovernor
from motcua.dossier import RunOptions

REAL = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
MORNING = datetime(2026, 3, 2, 0, 30, tzinfo=UTC)  # Monday 07:30 in Hà Nội


def engine_reading(options: RunOptions, real: datetime) -> datetime:
    """How the engine (activities/deadlines.py) reads a dossier's real instant as calendar time."""
    assert options.clock_epoch is not None
    return options.clock_epoch + (real - options.clock_epoch) * options.time_scale


def test_a_dossier_submitted_now_runs_on_the_demo_clock() -> None:
    clock = DemoClock.starting(MORNING, 6000, real=REAL)
    assert clock.virtual(REAL) == MORNING
    options = clock.run_options(RunOptions())
    later = REAL + timedelta(seconds=3)
    assert abs(engine_reading(options, later) - clock.virtual(later)) < timedelta(milliseconds=5)


def test_slowing_down_keeps_virtual_time_continuous() -> None:
    clock = DemoClock.starting(MORNING, 6000, real=REAL)
    change = REAL + timedelta(seconds=2)
    before = clock.virtual(change)
    clock.slow_to(1500, real=change)
    assert clock.virtual(change) == before
    assert clock.virtual(change + timedelta(seconds=1)) == before + timedelta(seconds=1500)
    assert clock.real(before + timedelta(seconds=3000)) == change + timedelta(seconds=2)
    # A dossier submitted after the change runs at the new speed from the same instant.
    options = clock.run_options(RunOptions())
    assert options.time_scale == 1500
    later = change + timedelta(seconds=4)
    assert abs(engine_reading(options, later) - clock.virtual(later)) < timedelta(milliseconds=5)
    assert clock.history == [(before, 1500)]
    # An instant of the first piece is still read on it, both ways.
    early = REAL + timedelta(seconds=1)
    assert clock.virtual(early) == MORNING + timedelta(seconds=6000)
    assert clock.real(MORNING + timedelta(seconds=6000)) == early


def test_the_governor_slows_the_clock_before_lag_reaches_the_budget() -> None:
    clock = DemoClock.starting(MORNING, 6000, real=REAL)
    governor = LagGovernor(clock, window=8)
    for _ in range(10):  # 25 ms at 6000x: 2.5 calendar minutes, under half of 6 working minutes
        assert governor.observe(0.025) is None
    assert clock.scale == 6000
    # 40 ms is 4 calendar minutes: within the budget still, but past half of it. Once is a
    # spike; the second time it is the p90 of the last eight lags (the highest left out), and
    # the governor acts at once, not after a whole new window.
    assert governor.observe(0.04) is None
    slowed = governor.observe(0.04)
    assert slowed is not None and clock.scale == slowed
    assert 0.04 * clock.scale <= 0.25 * 0.1 * 3600 + 1e-6  # the lag now takes a quarter
    # The summary can say when and why: the slowdown's instant and the lags behind it.
    assert governor.causes == [(clock.history[0][0], [0.025] * 6 + [0.04] * 2)]
    # At the new speed the same lag is well within the budget: no further slowdown.
    assert [governor.observe(0.04) for _ in range(10)] == [None] * 10


def test_one_spike_does_not_slow_the_clock() -> None:
    clock = DemoClock.starting(MORNING, 6000, real=REAL)
    governor = LagGovernor(clock, window=8)
    lags = [0.02] * 5 + [3.0] + [0.02] * 10  # one lag of 5 working hours at 6000x, once
    assert [governor.observe(lag) for lag in lags] == [None] * len(lags)
    assert clock.scale == 6000 and clock.history == []


def test_one_lag_at_the_start_does_not_slow_the_clock_before_enough_are_seen() -> None:
    clock = DemoClock.starting(MORNING, 6000, real=REAL)
    governor = LagGovernor(clock, min_samples=3)
    assert governor.observe(2.0) is None and governor.observe(0.01) is None
    assert clock.scale == 6000


def test_the_governor_never_goes_below_its_floor_and_can_be_off() -> None:
    clock = DemoClock.starting(MORNING, 6000, real=REAL)
    governor = LagGovernor(clock, window=4, min_scale=500)
    for _ in range(4):
        governor.observe(30.0)
    assert clock.scale == 500
    fixed = DemoClock.starting(MORNING, 6000, real=REAL)
    off = LagGovernor(fixed, window=4, adaptive=False)
    for _ in range(8):
        assert off.observe(30.0) is None
    assert fixed.scale == 6000 and off.quantile(0.9) == 30.0
