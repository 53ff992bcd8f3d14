"""A worker on its own task queue and SQLite file, and helpers that act as citizens and officers.

The handle the tests act through is :class:`tests.workflows.handle.Harness`; crashes and
outages are in :mod:`tests.workflows.faults`; both are importable from here too."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import AsyncExitStack, ExitStack, asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

from temporalio.testing import WorkflowEnvironment

from adapters import AdaptersConfig
from motcua.calendar import WorkCalendar, default_calendar
from motcua.definitions import Catalog
from motcua.dossier import (
    RunOptions,
)
from motcua.simulators import adapters_config, ports_from, serving_all
from motcua.store import make_engine, migrate, session_factory
from tests.workflows.faults import misbehaving, pending_attempts, start_worker_process
from tests.workflows.handle import APPLICANT, TEST_HASHER, Harness
from worker import build_agency_worker, build_worker

__all__ = [
    "APPLICANT",
    "TEST_HASHER",
    "Harness",
    "agency_worker",
    "misbehaving",
    "pending_attempts",
    "running_worker",
    "skipping_worker",
    "start_worker_process",
]


@asynccontextmanager
async def agency_worker(h: Harness, agency: str) -> AsyncIterator[None]:
    """Run one agency's worker, as ``motcua worker --agency`` would."""
    adapters = h.adapters_config.build(agency)
    queue = h.options.agency_queue_prefix + agency
    try:
        async with build_agency_worker(
            h.client, task_queue=queue, adapters=adapters, hasher=TEST_HASHER
        ):
            yield
    finally:
        await adapters.aclose()


@asynccontextmanager
async def running_worker(
    env: WorkflowEnvironment,
    catalog: Catalog,
    tmp_path: Path,
    *,
    options: RunOptions | None = None,
    configure: Callable[[dict[str, str]], AdaptersConfig] = adapters_config,
    separate_agencies: Iterable[str] = (),
    database_url: str | None = None,
    sim_options: Mapping[str, Mapping[str, Any]] | None = None,
    calendar: WorkCalendar | None = None,
    task_queue: str | None = None,
) -> AsyncIterator[Harness]:
    """The engine's worker and every agency's, except ``separate_agencies`` (start those with
    :func:`agency_worker`), on task queues of their own; the read model in a SQLite file under
    ``tmp_path`` unless ``database_url`` names another. ``calendar``: the engine worker's
    working calendar (the packaged one if None); ``task_queue``: an earlier harness's, to go on
    with its dossiers (with the same ``tmp_path``)."""
    url = database_url or f"sqlite:///{tmp_path / 'motcua.db'}"
    migrate(url)
    engine = make_engine(url)
    task_queue = task_queue or f"test-{uuid.uuid4().hex}"
    # Fresh simulators per test: dossier codes restart with each test's read model.
    simulators = ExitStack()
    sims = simulators.enter_context(serving_all(ports=ports_from(0), options=sim_options))
    config = configure(sims)
    options = (options or RunOptions(rating_window=timedelta(0))).model_copy(
        update={"agency_queue_prefix": f"{task_queue}.agency."}
    )
    national = config.build()
    with ThreadPoolExecutor(max_workers=8) as executor:
        worker = build_worker(
            env.client,
            task_queue=task_queue,
            sessions=session_factory(engine),
            calendar=calendar or default_calendar(),
            notifier=national.notification,
            executor=executor,
            hasher=TEST_HASHER,
            sandboxed=True,  # the sandbox's run-time checks stay on in every test
        )
        h = Harness(
            client=env.client,
            catalog=catalog,
            task_queue=task_queue,
            sessions=session_factory(engine),
            adapters_config=config,
            sims=sims,
            options=options,
        )
        async with worker, AsyncExitStack() as agencies:
            for agency in sorted(set(catalog.agencies()) - set(separate_agencies)):
                await agencies.enter_async_context(agency_worker(h, agency))
            try:
                yield h
            finally:
                await h.close_leftovers()
    await national.aclose()
    simulators.close()
    engine.dispose()


@asynccontextmanager
async def skipping_worker(
    env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> AsyncIterator[Harness]:
    """:func:`running_worker` on the time-skipping server, which knows no custom search
    attributes."""
    options = RunOptions(rating_window=timedelta(0), search_attributes=False)
    async with running_worker(env, catalog, tmp_path, options=options) as harness:
        yield harness
