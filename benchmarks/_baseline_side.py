"""The baseline side: `benchmarks._baseline`'s hand-written app, driven the way its samples
drive a workflow (start, poll a query, signal)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from temporalio.client import Client, WorkflowHandle
from temporalio.testing import WorkflowEnvironment

from adapters import Adapters
from benchmarks import _baseline
from benchmarks._baseline import BaselineDossierWorkflow, BaselineInput, Decision, Payment
from benchmarks._cpu import ACTIVITY_THREAD_PREFIX
from benchmarks._measure import (
    ACTIVITY_THREADS,
    APPLICANT,
    RESIDENCE,
    Calls,
    Load,
    Measurement,
    count_rows,
    history_cost,
    measure,
)
from motcua.definitions import Catalog
from motcua.store import make_engine


class BaselineDriver:
    """Drives baseline dossiers: polls the ``status`` query, answers with signals."""

    def __init__(
        self, client: Client, agency_code: str, task_queue: str, interval: float, calls: Calls
    ) -> None:
        self._client = client
        self._agency_code = agency_code
        self._task_queue = task_queue
        self._interval = interval
        self._calls = calls
        self._run = uuid.uuid4().hex[:8]
        self.finished: list[str] = []

    async def drive(self, i: int) -> None:
        handle = await self._client.start_workflow(
            BaselineDossierWorkflow.run,
            BaselineInput(
                submission_id=f"bench-{self._run}-{i}",
                agency_code=self._agency_code,
                personal_id=APPLICANT.personal_id,
                fee=10_000,
                checks=["identity", "alive", "residence", "relationship"],
                deliveries=["e_data_store"],  # as motcua: no post without an address
            ),
            id=f"baseline-{self._run}-{i}",
            task_queue=self._task_queue,
        )
        self._calls()
        await self._decide(handle, "receive", "accept", f"clerk-{i % 4}")
        status = await self._wait(handle, lambda s: s.stage == "awaiting_payment")
        await handle.signal(
            BaselineDossierWorkflow.payment_confirmed,
            Payment(
                reference=f"{status.dossier_code}-FEE",
                transaction_id=f"TX-{self._run}-{i}",
                amount=status.fee,
            ),
        )
        self._calls()
        await self._decide(handle, "review", "approve", f"reviewer-{i % 5}")
        await self._decide(handle, "sign", "approve", f"chief-{i % 3}")
        await handle.result()
        self._calls()
        self.finished.append(handle.id)

    async def _decide(
        self, handle: WorkflowHandle[Any, Any], step: str, outcome: str, officer: str
    ) -> None:
        await self._wait(handle, lambda s: s.open_step == step)
        await handle.signal(
            BaselineDossierWorkflow.decide, Decision(step=step, officer=officer, outcome=outcome)
        )
        self._calls()

    async def _wait(
        self,
        handle: WorkflowHandle[Any, Any],
        ready: Callable[[_baseline.BaselineStatus], bool],
    ) -> _baseline.BaselineStatus:
        while True:
            self._calls()
            status = await handle.query(BaselineDossierWorkflow.status)
            if ready(status):
                return status
            await asyncio.sleep(self._interval)


async def run_baseline(
    env: WorkflowEnvironment, catalog: Catalog, workdir: Path, load: Load, adapters: Adapters
) -> Measurement:
    """Create the baseline's tables, start its worker, and measure ``load`` on it."""
    engine = make_engine(f"sqlite:///{workdir / 'baseline.db'}")  # same SQLite settings
    _baseline.METADATA.create_all(engine)
    calls = Calls()
    with ThreadPoolExecutor(ACTIVITY_THREADS, ACTIVITY_THREAD_PREFIX) as executor:
        task_queue = f"bench-baseline-{uuid.uuid4().hex}"
        worker = _baseline.build_baseline_worker(
            env.client, task_queue=task_queue, engine=engine, adapters=adapters, executor=executor
        )
        async with worker:
            agency = catalog.registry.agency(catalog.latest(RESIDENCE).agency)  # type: ignore[union-attr]
            driver = BaselineDriver(env.client, agency.code, task_queue, load.poll_interval, calls)
            result = await measure("baseline", driver.drive, load, calls)
            result.history = await history_cost(env.client, driver.finished)
    result.log_rows = count_rows(
        engine, sa.select(sa.func.count()).select_from(_baseline.EVENTS)
    ) / (load.dossiers + load.warmup)
    engine.dispose()
    return result
