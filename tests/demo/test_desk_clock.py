"""Officers act on each dossier's own clock: a dossier filed before the demo's clock slowed still
shows, on its clock, claims and decisions in office hours, with the officer's working time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from motcua.calendar import default_calendar
from motcua.demo import DemoClock
from motcua.demo._office import Office
from motcua.demo._office_file import load_office
from motcua.demo._schedule import Scheduler, on_own_clock
from motcua.dossier import RunOptions

REAL = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
MORNING = datetime(2026, 3, 2, 0, 30, tzinfo=UTC)  # Monday 07:30 in Hà Nội
WORKFLOW = "dossier-1"


def engine_reading(options: RunOptions, real: datetime) -> datetime:
    """How the engine and the analysis read a dossier's real instant as calendar time."""
    assert options.clock_epoch is not None
    return options.clock_epoch + (real - options.clock_epoch) * options.time_scale


def test_a_dossier_filed_before_a_slowdown_is_worked_in_office_hours_on_its_clock() -> None:
    calendar = default_calendar()
    clock = DemoClock.starting(MORNING, 6000, real=REAL)
    scheduler = Scheduler(clock)
    options = clock.run_options(RunOptions())
    scheduler.filed(WORKFLOW, options)
    clock.slow_to(600, real=REAL + timedelta(seconds=2))  # the machine lagged
    created = REAL + timedelta(seconds=10)  # the dossier's review task appears
    office = Office(load_office(), calendar)
    job = office.assign(
        role="residence-officer",
        agency="commune-police",
        ready=clock.virtual(created),
        minutes=45,
    )
    own = scheduler.clock_of(WORKFLOW)
    start, end = on_own_clock(job, own.virtual(created), calendar)
    # The desk claims when the dossier's clock shows ``start`` and decides at ``end``: what the
    # event log records, read as the analysis reads it.
    claimed = engine_reading(options, own.real(start))
    decided = engine_reading(options, own.real(end))
    assert abs(claimed - start) < timedelta(seconds=1) and abs(decided - end) < timedelta(seconds=1)
    assert calendar.working_hours_between(claimed, decided) == pytest.approx(45 / 60, abs=1e-6)
    # Acting on the office's slower clock instead is read later on the dossier's, and the
    # officer's 45 minutes become ten times as long there (or none, when they fall at night).
    office_claimed = engine_reading(options, clock.real(job.start))
    office_decided = engine_reading(options, clock.real(job.end))
    assert office_claimed > claimed
    office_worked = calendar.working_hours_between(office_claimed, office_decided)
    assert office_worked != pytest.approx(45 / 60, abs=0.1)


def test_a_dossier_on_the_demos_clock_is_worked_at_the_offices_instants() -> None:
    calendar = default_calendar()
    clock = DemoClock.starting(MORNING, 6000, real=REAL)
    scheduler = Scheduler(clock)
    scheduler.filed(WORKFLOW, clock.run_options(RunOptions()))
    created = REAL + timedelta(seconds=10)
    office = Office(load_office(), calendar)
    job = office.assign(
        role="residence-officer", agency="commune-police", ready=clock.virtual(created), minutes=45
    )
    own = scheduler.clock_of(WORKFLOW)
    assert on_own_clock(job, own.virtual(created), calendar) == (job.start, job.end)
