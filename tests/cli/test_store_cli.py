"""``motcua store rebuild``: an operator rebuilds the projections and sees what was written."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import delete
from typer.testing import CliRunner

from motcua.cli import app
from motcua.settings import get_settings
from motcua.store import (
    TaskRow,
    get_dossier,
    list_tasks,
    make_engine,
    migrate,
    project,
    session_factory,
)
from tests.store.factories import every_event_type

runner = CliRunner()


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'motcua.db'}"
    monkeypatch.setenv("MOTCUA_DATABASE_URL", url)
    monkeypatch.setenv("MOTCUA_VAR_DIR", str(tmp_path / "var"))
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


def test_rebuild_restores_the_projections_and_prints_the_counts(database: str) -> None:
    migrate(database)
    engine = make_engine(database)
    factory = session_factory(engine)
    with factory.begin() as session:
        project(session, events=every_event_type())
    with factory.begin() as session:  # a projection lost, as after a bad manual fix
        session.execute(delete(TaskRow))

    result = runner.invoke(app, ["store", "rebuild", "--batch", "2"], terminal_width=200)

    assert result.exit_code == 0, result.output
    rows = {
        line.split("│")[1].strip(): line.split("│")[2].strip()
        for line in result.output.splitlines()
        if line.count("│") == 3
    }
    assert rows == {
        "dossiers": "6",
        "tasks": "5",
        "task_counts": "9",
        "payments": "2",
        "evidence": "2",
        "results": "1",
    }
    assert f"from {len(every_event_type())} events of 6 workflows" in result.output
    with factory() as session:
        assert list_tasks(session) == []  # every task of the log was decided or cancelled
        done = get_dossier(session, "000.00.01.H29-260115-0001")
        assert done is not None and done.status == "rated"
        assert len(list_tasks(session, status=None)) == 5
    engine.dispose()
