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
    data = {"task_id": f"{dossier.code}:{step}", "role": "residence-officer"}
    if agency:
        data["agency"] = agency
    return dossier.event(
        "task.created", step_id=step, due_at=T0 + timedelta(days=due_in_days), data=data
    )


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
    created = _task(done, "review", due_in_days=1)
    decided = done.event("task.decided", data={"task_id": "D-4:review", "outcome": "approve"})
    batches = [
        (late, [_task(late, "review", due_in_days=2)], "in_review"),
        (on_time, [_task(on_time, "review", due_in_days=5)], "in_review"),
        (consulted, [_task(consulted, "consult", due_in_days=1, agency="provincial-court")], None),
        (done, [created, decided], "completed"),
    ]
    with session_factory(engine)() as session:
        for dossier, events, status in batches:
            project(session, events=events, status=dossier.status(status) if status else None)
        session.commit()

    text = _scrape(engine)

    review = 'procedure="1.004222",step="review"'
    assert f'motcua_tasks_open{{agency="commune-police",{review}}} 2.0' in text
    assert f'motcua_tasks_overdue{{agency="commune-police",{review}}} 1.0' in text
    # The consultation's dossier snapshot is not projected: counted, without a procedure.
    consult = 'motcua_tasks_overdue{agency="provincial-court",procedure="",step="consult"} 1.0'
    assert consult in text
    assert (
        'motcua_dossiers_open{agency="commune-police",procedure="1.004222",status="in_review"} 2.0'
        in text
    )
    assert 'status="completed"' not in text  # a finished dossier is not open


def test_a_database_error_yields_no_samples_and_a_warning(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")  # never migrated: no tables
    with capture_logs() as logs:
        text = _scrape(engine)
    engine.dispose()
    assert "motcua_tasks_open{" not in text
    assert [e["event"] for e in logs] == ["metrics.read_model_unavailable"]
    assert logs[0]["log_level"] == "warning"
