"""The bottleneck report on synthetic logs with planted properties, and from the read model."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from motcua.analysis import BottleneckReport, EventLog, bottlenecks, generate, load_log
from motcua.analysis import generate_log as make_log
from motcua.store import make_engine, migrate, project, session_factory

PROCEDURE = "1.004222"


@pytest.fixture(scope="module")
def report() -> BottleneckReport:
    log = make_log(3000, seed=11, plant_bottleneck_step="review", bottleneck_factor=6)
    return bottlenecks(log, by_agency=True, by_officer=True)


def test_the_planted_bottleneck_has_the_largest_waiting_share(report: BottleneckReport) -> None:
    steps = {s.step: s for s in report.steps}
    assert set(steps) == {"receive", "review", "sign"}
    assert max(steps.values(), key=lambda s: s.waiting_share).step == "review"
    review = steps["review"]
    assert review.waiting_hours.median is not None
    assert review.waiting_hours.median == pytest.approx(24, rel=0.1)  # 4 h median x 6
    assert review.waiting_share > 0.5
    # Receipt ends at acceptance, where the lead time starts: it takes none of it.
    assert steps["receive"].waiting_share == 0


def test_figures_are_consistent(report: BottleneckReport) -> None:
    (lead,) = report.procedures
    assert lead.deadline_hours == pytest.approx(56)  # 7 working days
    assert lead.completed <= lead.dossiers == 3000
    total_share = sum(s.share for s in report.steps)
    assert 0.5 < total_share <= 1
    for s in report.steps:
        assert s.decided == sum(s.outcomes.values()) == s.tasks
        assert s.waiting_hours.p90 is not None and s.waiting_hours.median is not None
        assert s.waiting_hours.p90 >= s.waiting_hours.median
        assert 0 <= s.breach_rate <= 1
    receive = report.step(PROCEDURE, "receive")
    assert receive.supplement_requests == receive.outcomes["request_supplement"]
    assert receive.loops_per_dossier == pytest.approx(0.1, abs=0.03)


def test_breakdowns_add_up_to_the_step(report: BottleneckReport) -> None:
    for step in report.steps:
        officers = [s for s in report.by_officer if s.step == step.step]
        agencies = [s for s in report.by_agency if s.step == step.step]
        assert len(officers) == 4  # the generator's officers per step
        assert sum(s.tasks for s in officers) == sum(s.tasks for s in agencies) == step.tasks
        assert sum(s.waiting_share for s in officers) == pytest.approx(step.waiting_share)
        assert {s.agency for s in agencies} == {"commune-police"}


def test_the_report_is_json(report: BottleneckReport) -> None:
    data = json.loads(report.to_json())
    assert data["steps"][1]["step"] == "review"
    assert set(data["steps"][1]["waiting_hours"]) == {"median", "p90"}


def test_filters_keep_whole_dossiers() -> None:
    log = make_log(400, seed=3)
    assert bottlenecks(log, procedure="9.999999").steps == ()
    later = bottlenecks(log, since=datetime(2026, 7, 1, tzinfo=UTC))
    (lead,) = later.procedures
    assert 0 < lead.dossiers < 400
    assert later.step(PROCEDURE, "receive").tasks >= lead.dossiers


def _close(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def test_the_read_model_gives_the_same_report_as_the_events(tmp_path: Path) -> None:
    events = generate(60, seed=5, plant_bottleneck_step="sign")
    url = f"sqlite:///{tmp_path / 'motcua.db'}"
    migrate(url)
    engine = make_engine(url)
    try:
        with session_factory(engine)() as session:
            project(session, events=events)
            session.commit()
        from_db = bottlenecks(load_log(engine), by_officer=True)
        with session_factory(engine)() as session:
            from_session = load_log(session, procedure=PROCEDURE)
    finally:
        engine.dispose()
    from_events = bottlenecks(EventLog.from_events(events), by_officer=True)
    assert from_events.steps and _close(from_db.to_dict(), from_events.to_dict())
    assert len(from_session) == len(events)
