"""Calibration before the first arrival: the demo opens the office at the speed the task lag
measured by probe dossiers allows, and the probes leave nothing behind."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from rich.console import Console
from temporalio.testing import WorkflowEnvironment

from benchmarks.demo_clock import short_office
from motcua.definitions import Catalog
from motcua.demo import DemoClock, DemoConfig, LagGovernor, run_demo
from motcua.store import list_dossiers, list_tasks
from tests.workflows.harness import running_worker

REAL = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
MORNING = datetime(2026, 3, 2, 0, 30, tzinfo=UTC)  # Monday 07:30 in Hà Nội


def test_the_clock_starts_at_the_speed_the_measured_lag_allows() -> None:
    clock = DemoClock.starting(MORNING, 6000, real=REAL)
    governor = LagGovernor(clock)
    opening = REAL + timedelta(seconds=5)  # the probes took five seconds
    governor.calibrated(0.075, real=opening)
    # With room for the office's own load to make that lag four times as long, 0.3 s: at 300x
    # that is 90 calendar seconds, a quarter of the six-minute budget.
    assert clock.scale == 300
    assert clock.virtual(opening) == MORNING and clock.history == []  # no dossier is left out
    assert clock.virtual(opening + timedelta(seconds=1)) == MORNING + timedelta(seconds=300)


def test_calibration_never_speeds_the_clock_up_and_is_off_with_a_fixed_clock() -> None:
    quick = DemoClock.starting(MORNING, 1500, real=REAL)
    LagGovernor(quick).calibrated(0.001, real=REAL)
    assert quick.scale == 1500
    fixed = DemoClock.starting(MORNING, 1500, real=REAL)
    LagGovernor(fixed, adaptive=False).calibrated(5.0, real=REAL)
    assert fixed.scale == 1500


async def test_the_demo_opens_at_the_calibrated_speed_and_withdraws_its_probes(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    async with running_worker(dev_env, catalog, tmp_path) as h:
        config = DemoConfig(
            dossiers=2, time_scale=1_000_000, max_seconds=20, office=short_office(),
            probe_rounds=2,
        )  # fmt: skip
        report = await run_demo(
            h.client, catalog, h.sessions, task_queue=h.task_queue, config=config,
            console=Console(quiet=True), options=h.options,
        )  # fmt: skip
        with h.sessions() as session:
            withdrawn = list_dossiers(session, status=["withdrawn"], limit=100)
            probes = {d.workflow_id for d in withdrawn if "-probe-" in d.workflow_id}
            open_tasks = list_tasks(session, status=("open", "claimed"), limit=1_000)
    clock = report.clock
    assert clock.calibration_p90 is not None and clock.calibration_p90 > 0
    # No machine keeps a million-fold clock's lag within budget: the office opened slower, at
    # the speed derived from the lag the probes measured.
    assert clock.asked_scale == 1_000_000
    governor = LagGovernor(DemoClock.starting(MORNING, 1))
    margin = governor.calibration_margin
    assert clock.first_scale == governor.scale_for(clock.calibration_p90 * margin)
    assert clock.first_scale < 1_000_000
    # Three probes per round, two rounds: all withdrawn, none in an inbox or in the figures.
    assert len(probes) == 6
    assert not [t for t in open_tasks if t.workflow_id in probes]
    assert report["withdrawn"] == 0 and report["received"] <= 2


def test_near_its_floor_the_clock_is_not_slowed_for_a_step_too_small_to_matter() -> None:
    clock = DemoClock.starting(MORNING, 119, real=REAL)
    governor = LagGovernor(clock)
    # Lags that would ask for the 100x floor: 16% slower would leave out every dossier filed
    # so far for little less lag.
    assert [governor.observe(2.0) for _ in range(8)] == [None] * 8
    assert clock.scale == 119 and clock.history == []
