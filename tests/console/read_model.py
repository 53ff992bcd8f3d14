"""The console over a read model that already holds an event log (a generated one), served on
loopback without the engine: the designer's and operations pages only read the read model.
Also the accessibility check every page must pass."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Browser, Page

from motcua.api import build_context, create_app
from motcua.definitions import Catalog
from motcua.dossier import Event
from motcua.settings import Settings
from motcua.simulators import serving
from motcua.store import make_engine, migrate, project, session_factory


@contextmanager
def console_over(tmp: Path, catalog: Catalog, events: Sequence[Event]) -> Iterator[str]:
    """The API and console on a free loopback port over a read model holding ``events``;
    yields the base URL. The server stops when the block ends."""
    url = f"sqlite:///{tmp / 'motcua.db'}"
    migrate(url)
    engine = make_engine(url)
    with session_factory(engine)() as session:
        project(session, events=events)
        session.commit()
    settings = Settings(environment="test", dev_mode=True, database_url=url, var_dir=tmp / "var")
    try:
        with serving(create_app(build_context(settings, engine=engine, catalog=catalog))) as base:
            yield base
    finally:
        engine.dispose()


def left_waiting(events: Sequence[Event], step: str) -> list[Event]:
    """``events`` with the first dossier that reached ``step`` left waiting there: its log stops
    right after that step's task was created (so its task is open, its SLA long past)."""
    task = next(e for e in events if e.type == "task.created" and e.step_id == step)
    return [e for e in events if e.dossier_code != task.dossier_code or e.seq <= task.seq]


async def new_page(browser: Browser, base_url: str) -> AsyncIterator[Page]:
    """A fresh browser profile on ``base_url`` (for a fixture: ``yield`` from it)."""
    context = await browser.new_context(base_url=base_url)
    context.set_default_timeout(15_000)
    try:
        yield await context.new_page()
    finally:
        await context.close()


async def serious_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it is shown now."""
    results = await Axe().run(page)
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def number(text: str) -> float:
    """The first number in a cell's text ("12.50 / 20" → 12.5)."""
    found = re.search(r"-?\d+(?:\.\d+)?", text)
    assert found, f"no number in {text!r}"
    return float(found.group(0))
