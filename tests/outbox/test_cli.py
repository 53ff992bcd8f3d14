"""``motcua outbox`` as an operator types it, and the dispatcher's entry point as ``motcua up``
and ``motcua outbox run`` start it."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.console import Console
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from motcua.cli import _outbox, app
from motcua.outbox import create_webhook, run_dispatcher
from motcua.settings import Settings, get_settings
from motcua.store import make_engine, migrate, session_factory
from tests.outbox.conftest import LIFE, Receiver, deliveries, dispatcher, drain, project_lives
from tests.store.factories import Dossier

runner = CliRunner()


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[sessionmaker[Session]]:
    url = f"sqlite:///{tmp_path / 'motcua.db'}"
    monkeypatch.setenv("MOTCUA_DATABASE_URL", url)
    monkeypatch.setattr(_outbox, "console", Console(width=250))
    get_settings.cache_clear()
    migrate(url)
    engine = make_engine(url)
    yield session_factory(engine)
    engine.dispose()
    get_settings.cache_clear()


async def test_status_shows_a_parked_line_and_retry_unblocks_it(
    store: sessionmaker[Session], receiver: Receiver
) -> None:
    with store.begin() as session:
        sub = create_webhook(
            session, owner_id="portal-a", url=receiver.hook(), event_types=[], agencies=[]
        ).id
    stuck = Dossier("000.00.01.H29-260115-0001")
    receiver.failing.add(stuck.code)
    project_lives(store, [stuck])
    async with dispatcher(store, max_attempts=2) as d:
        await drain(d, until=lambda: bool(deliveries(store, "parked")))

    shown = runner.invoke(app, ["outbox", "status"])
    assert shown.exit_code == 0, shown.output
    row = next(line for line in shown.output.splitlines() if sub in line)
    cells = [cell.strip() for cell in row.split("│") if cell.strip()]
    assert cells[1:3] == ["webhook", "portal-a"]
    assert cells[5:7] == [str(len(LIFE) - 1), "1"]  # pending, parked

    unknown = runner.invoke(app, ["outbox", "retry", "wh_nope"])
    assert unknown.exit_code == 1 and "no subscription" in unknown.output
    other = runner.invoke(app, ["outbox", "retry", sub, "--dossier", "000.00.09.H29-1-1"])
    assert "Unparked 0" in other.output
    retried = runner.invoke(app, ["outbox", "retry", sub, "--dossier", stuck.code])
    assert retried.exit_code == 0 and "Unparked 1 line(s)" in retried.output

    receiver.failing.clear()
    async with dispatcher(store) as d:
        await drain(d)
    assert receiver.seqs(stuck.code) == list(range(1, len(LIFE) + 1))


async def test_the_dispatcher_runs_until_stopped(tmp_path: Path, receiver: Receiver) -> None:
    settings = Settings(
        environment="test",
        database_url=f"sqlite:///{tmp_path / 'motcua.db'}",
        outbox_poll_seconds=0.05,
        webhook_allow_loopback=True,  # the receiver listens on loopback
    )
    migrate(settings.database_url)
    sessions = session_factory(make_engine(settings.database_url))
    with sessions.begin() as session:
        create_webhook(session, owner_id="p", url=receiver.hook(), event_types=[], agencies=[])
    stop = asyncio.Event()
    running = asyncio.create_task(run_dispatcher(settings, portal=False, stop=stop))
    dossier = Dossier("000.00.01.H29-260115-0001")
    project_lives(sessions, [dossier])
    for _ in range(400):
        if len(receiver.seqs(dossier.code)) == len(LIFE):
            break
        await asyncio.sleep(0.02)
    stop.set()
    await asyncio.wait_for(running, timeout=30)

    assert receiver.seqs(dossier.code) == list(range(1, len(LIFE) + 1))
