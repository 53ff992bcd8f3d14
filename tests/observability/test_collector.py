"""The read-model collector: open and overdue tasks and open dossiers, read at scrape time."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry, generate_latest
from sqlalchemy import Engine
from structlog.testing import capture_logs

from motcua.dossier import Event
from motcua.observability import ReadModelCollector
from motcua.store import make_engine, migrate, project, session_factory
from tests.store.factories import T0, Dossier

NOW = T0 + timedelta(days=3)


def _task(dossier: Dossier, step: str, *, due_in_days: float, agency: str | None = None) -> Event:
    return dossier.event(
        "task.created",
        step_id=step,
        due_at=T0 + timedelta(days=due_in_days),
        task_id=f"{dossier.code}:{step}",
        task_agency=agency or dossier.agency,
        role="residence-officer",
    )


def _in_review(dossier: Dossier) -> list[Event]:
    return [
        dossier.submitted(),
        dossier.event("step.started", step_id="review", step_kind="review"),
    ]


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    url = f"sqlite:///{tmp_path / 'collector.db'}"
    migrate(url)
    engine = make_engine(url)
    yield engine
    engine.dispose()


def _scrape(engine: Engine) -> str:
    registry = CollectorRegistry()
    registry.register(ReadModelCollector(engine, clock=lambda: NOW))
    return generate_latest(registry).decode()


def test_open_and_overdue_tasks_and_open_dossiers_are_exported(engine: Engine) -> None:
    late, on_time, consulted, done = (Dossier(f"D-{i}") for i in range(1, 5))
    batches = [
        [*_in_review(late), _task(late, "review", due_in_days=2)],
        [*_in_review(on_time), _task(on_time, "review", due_in_days=5)],
        [
            consulted.submitted(),
            consulted.event("step.started", step_id="consult", step_kind="consult"),
            _task(consulted, "consult", due_in_days=1, agency="provincial-court"),
        ],
        [
            *_in_review(done),
            _task(done, "review", due_in_days=1),
            done.event("task.decided", task_id="D-4:review", task_agency="commune-police",
                       outcome="approve", duration_seconds=60),
            done.event("dossier.completed", timeliness="on_time"),
        ],
    ]  # fmt: skip
    with session_factory(engine).begin() as session:
        for events in batches:
            project(session, events=events)

    text = _scrape(engine)

    review = 'procedure="1.004222",step="review"'
    assert f'motcua_tasks_open{{agency="commune-police",{review}}} 2.0' in text
    assert f'motcua_tasks_overdue{{agency="commune-police",{review}}} 1.0' in text
    # A consultation's task counts at the consulted agency.
    consult = 'agency="provincial-court",procedure="1.004222",step="consult"'
    assert f"motcua_tasks_overdue{{{consult}}} 1.0" in text
    dossiers = 'motcua_dossiers_open{agency="commune-police",procedure="1.004222"'
    assert f'{dossiers},status="in_review"}} 2.0' in text
    assert f'{dossiers},status="in_consultation"}} 1.0' in text
    assert 'status="completed"' not in text  # a finished dossier is not open


def test_a_database_error_yields_no_samples_and_a_warning(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")  # never migrated: no tables
    with capture_logs() as logs:
        text = _scrape(engine)
    engine.dispose()
    assert "motcua_tasks_open{" not in text
    assert [e["event"] for e in logs] == ["metrics.read_model_unavailable"]
    assert logs[0]["log_level"] == "warning"
