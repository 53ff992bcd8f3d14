"""Dossiers per second, end to end: motcua's ProcedureWorkflow against a hand-written baseline.

One Temporal dev server; each side gets its own worker, task queue and SQLite file and runs the
permanent residence registration (1.004222) to completion: submit, receipt accepted, verified,
fee paid, review approved, approval signed, result issued and delivered. Sides run one after the
other, each with ``--concurrency`` dossiers in flight after a short warm-up.

    .venv/bin/python -m benchmarks.throughput [--dossiers N] [--concurrency C]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import statistics
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowHandle
from temporalio.testing import WorkflowEnvironment

from adapters import Adapters
from benchmarks import _baseline
from benchmarks._baseline import BaselineDossierWorkflow, BaselineInput, Decision, Payment
from motcua.binaries import start_dev_environment
from motcua.calendar import default_calendar
from motcua.definitions import Catalog, load_catalog
from motcua.dossier import (
    Actor,
    Applicant,
    DecisionInput,
    PaymentEvent,
    RunOptions,
    SubmittedDocument,
)
from motcua.engine import CommandRefused, Dossier, Submission, submit
from motcua.simulators import adapters_config, ports_from, serving_all
from motcua.store import (
    EventRow,
    list_dossiers,
    list_tasks,
    make_engine,
    migrate,
    session_factory,
)
from worker import build_agency_worker, build_worker

ROOT = Path(__file__).resolve().parent.parent
RESIDENCE = "1.004222"
APPLICANT = Applicant(
    personal_id="001203004512",
    full_name="Nguyễn Thị Lan",
    birth_date=date(1990, 5, 17),
    phone="0912345678",
)
# The workflow returns once the result is delivered instead of waiting 30 days for a rating.
OPTIONS = RunOptions(rating_window=timedelta(0))
ACTIVITY_THREADS = 16
# A stuck dossier fails the run (and shuts everything down) instead of hanging it.
DOSSIER_TIMEOUT = 300

Drive = Callable[[int], Awaitable[None]]


@dataclass
class Measurement:
    """One side's timed run, and what one of its dossiers cost."""

    name: str
    dossiers: int
    seconds: float
    latencies: list[float]
    history: Counter[str] = field(default_factory=Counter)
    client_calls: float = 0.0
    python_cpu_ms: float = 0.0
    server_cpu_ms: float = 0.0
    log_rows: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.dossiers / self.seconds

    def percentile(self, p: int) -> float:
        if len(self.latencies) < 2:
            return self.latencies[0] if self.latencies else 0.0
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[p - 1]


@dataclass
class Calls:
    """Client calls (start, update, signal, query, result) the driver made to the server."""

    total: int = 0
    refused: int = 0

    def __call__(self) -> None:
        self.total += 1


async def measure(
    name: str, drive: Drive, *, dossiers: int, concurrency: int, warmup: int, calls: Calls
) -> Measurement:
    """Warm up, then run ``dossiers`` through ``drive`` with ``concurrency`` in flight."""
    gate = asyncio.Semaphore(concurrency)
    latencies: list[float] = []

    async def one(i: int) -> None:
        async with gate, asyncio.timeout(DOSSIER_TIMEOUT):
            started = time.perf_counter()
            await drive(i)
            latencies.append(time.perf_counter() - started)

    await asyncio.gather(*(one(-1 - i) for i in range(warmup)))
    latencies.clear()
    calls.total = calls.refused = 0
    cpu_before = cpu_seconds()
    started = time.perf_counter()
    await asyncio.gather(*(one(i) for i in range(dossiers)))
    seconds = time.perf_counter() - started
    python_cpu, server_cpu = (b - a for a, b in zip(cpu_before, cpu_seconds(), strict=True))
    return Measurement(
        name=name,
        dossiers=dossiers,
        seconds=seconds,
        latencies=latencies,
        client_calls=calls.total / dossiers,
        python_cpu_ms=python_cpu * 1000 / dossiers,
        server_cpu_ms=server_cpu * 1000 / dossiers,
    )


def cpu_seconds() -> tuple[float, float]:
    """CPU seconds used so far by this process (driver and worker) and by its running children
    (the dev server); the latter is read from /proc, so it stays 0 where there is none."""
    server = 0.0
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == os.getpid():  # ppid; utime and stime follow at 11 and 12
            server += (int(fields[11]) + int(fields[12])) / tick
    return time.process_time(), server


async def history_cost(handle: WorkflowHandle[Any, Any]) -> Counter[str]:
    """What one dossier cost the server: history events, workflow tasks, activities."""
    history = await handle.fetch_history()
    kinds = Counter(e.event_type for e in history.events)
    return Counter(
        {
            "history events": len(history.events),
            "history bytes": sum(e.ByteSize() for e in history.events),
            "workflow tasks": kinds[EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED],
            "activities": kinds[EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED],
            "local activities": kinds[EventType.EVENT_TYPE_MARKER_RECORDED],
            "updates": kinds[EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED],
            "signals": kinds[EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED],
            "search attribute upserts": kinds[
                EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES
            ],
        }
    )


# ------------------------------------------------------------------------------- motcua


class ReadModelInbox:
    """What the officers' inboxes and the payment platform see: the read model, polled.

    One poller serves every dossier in flight, as one inbox page serves every officer."""

    def __init__(self, sessions: sessionmaker[Session], interval: float) -> None:
        self._sessions = sessions
        self._interval = interval
        self._tasks: dict[tuple[str, str], asyncio.Future[tuple[str, str, str]]] = {}
        self._payments: dict[str, asyncio.Future[tuple[str, int]]] = {}
        self._wake = asyncio.Event()

    async def task(self, workflow_id: str, step_id: str) -> tuple[str, str, str]:
        """Wait for the open task of ``step_id``; returns (task id, role, agency)."""
        future = asyncio.get_running_loop().create_future()
        self._tasks[(workflow_id, step_id)] = future
        self._wake.set()
        return await future

    async def payment_due(self, workflow_id: str) -> tuple[str, int]:
        """Wait until the dossier awaits its fee; returns (dossier code, amount)."""
        future = asyncio.get_running_loop().create_future()
        self._payments[workflow_id] = future
        self._wake.set()
        return await future

    async def run(self) -> None:
        while True:
            if not self._tasks and not self._payments:
                self._wake.clear()
                await self._wake.wait()
            tasks, dues = await asyncio.to_thread(self._read)
            for workflow_id, step_id, task_id, role, agency in tasks:
                future = self._tasks.pop((workflow_id, step_id), None)
                if future is not None:
                    future.set_result((task_id, role, agency))
            for workflow_id, code, amount in dues:
                future_due = self._payments.pop(workflow_id, None)
                if future_due is not None:
                    future_due.set_result((code, amount))
            await asyncio.sleep(self._interval)

    def _read(self) -> tuple[list[tuple[str, str, str, str, str]], list[tuple[str, str, int]]]:
        with self._sessions() as session:
            tasks = [
                (t.workflow_id, t.step_id or "", t.task_id, t.role, t.agency)
                for t in list_tasks(session, status=("open",), limit=100_000)
            ]
            dues = [
                (d.workflow_id, d.dossier_code, d.fee_amount or 0)
                for d in list_dossiers(session, status="awaiting_payment", limit=100_000)
            ]
        return tasks, dues


class MotcuaDriver:
    """Citizen, officers and payment platform of motcua dossiers, through `motcua.engine`."""

    def __init__(
        self,
        client: Client,
        catalog: Catalog,
        task_queue: str,
        inbox: ReadModelInbox | None,
        interval: float,
        calls: Calls,
    ) -> None:
        self._client = client
        self._catalog = catalog
        self._task_queue = task_queue
        self._inbox = inbox
        self._interval = interval
        self._calls = calls
        self._run = uuid.uuid4().hex[:8]
        self.last_id = ""

    async def drive(self, i: int) -> None:
        submission = Submission(
            procedure=RESIDENCE,
            channel="online",
            applicant=APPLICANT,
            documents=[SubmittedDocument(id="ct01")],
            submission_id=f"bench-{self._run}-{i}",
        )
        receipt = await submit(
            self._client,
            self._catalog,
            submission,
            task_queue=self._task_queue,
            options=OPTIONS.model_copy(update={"agency_queue_prefix": f"{self._task_queue}."}),
        )
        self._calls()
        handle = self._client.get_workflow_handle(receipt.workflow_id)
        dossier = Dossier(self._client, handle.id)
        await self._decide(dossier, handle.id, "receive", "accept", f"clerk-{i % 4}")
        code, amount = await self._payment_due(dossier, handle.id)
        await dossier.payment_confirmed(
            PaymentEvent(
                reference=f"{code}-FEE",
                transaction_id=f"TX-{self._run}-{i}",
                amount=amount,
                paid_at=datetime.now(UTC),
            )
        )
        self._calls()
        await self._decide(dossier, handle.id, "review", "approve", f"reviewer-{i % 5}")
        await self._decide(dossier, handle.id, "sign", "approve", f"chief-{i % 3}")
        await handle.result()
        self._calls()
        self.last_id = handle.id

    async def _decide(
        self, dossier: Dossier, workflow_id: str, step_id: str, outcome: str, officer: str
    ) -> None:
        task_id, role, agency = await self._open_task(dossier, workflow_id, step_id)
        command = DecisionInput(
            task_id=task_id, actor=Actor(id=officer, role=role, agency=agency), outcome=outcome
        )
        while True:
            self._calls()
            try:
                await dossier.decide(command)
                return
            except CommandRefused:
                # The read model showed the task a moment before the workflow opened it.
                self._calls.refused += 1
                await asyncio.sleep(self._interval)

    async def _open_task(
        self, dossier: Dossier, workflow_id: str, step_id: str
    ) -> tuple[str, str, str]:
        if self._inbox is not None:
            return await self._inbox.task(workflow_id, step_id)
        while True:
            self._calls()
            for task in (await dossier.status()).open_tasks:
                if task.step_id == step_id:
                    return task.task_id, task.role, task.agency
            await asyncio.sleep(self._interval)

    async def _payment_due(self, dossier: Dossier, workflow_id: str) -> tuple[str, int]:
        if self._inbox is not None:
            return await self._inbox.payment_due(workflow_id)
        while True:
            self._calls()
            status = await dossier.status()
            if status.status == "awaiting_payment":
                return status.dossier_code, status.fee_amount or 0
            await asyncio.sleep(self._interval)


async def run_motcua(
    env: WorkflowEnvironment,
    catalog: Catalog,
    workdir: Path,
    args: argparse.Namespace,
    adapters: Adapters,
) -> Measurement:
    url = f"sqlite:///{workdir / 'motcua.db'}"
    migrate(url)
    engine = make_engine(url)
    calls = Calls()
    async with _poller(
        ReadModelInbox(session_factory(engine, read_only=True), args.poll_interval)
        if args.motcua_inbox == "read-model"
        else None
    ) as inbox:
        with ThreadPoolExecutor(max_workers=ACTIVITY_THREADS) as executor:
            task_queue = f"bench-motcua-{uuid.uuid4().hex}"
            worker = build_worker(
                env.client,
                task_queue=task_queue,
                sessions=session_factory(engine),
                calendar=default_calendar(),
                notifier=adapters.notification,
                executor=executor,
            )
            # The residence agency's adapters, on its own queue as in a deployment.
            agency = catalog.latest(RESIDENCE).agency
            agency_worker = build_agency_worker(
                env.client, task_queue=f"{task_queue}.{agency}", adapters=adapters
            )
            async with worker, agency_worker:
                driver = MotcuaDriver(
                    env.client, catalog, task_queue, inbox, args.poll_interval, calls
                )
                result = await measure("motcua", driver.drive, calls=calls, **_sizes(args))
                result.history = await history_cost(env.client.get_workflow_handle(driver.last_id))
    result.log_rows = _rows(engine, sa.select(sa.func.count()).select_from(EventRow)) / (
        args.dossiers + args.warmup
    )
    if calls.refused:
        result.notes.append(f"motcua: {calls.refused} decide updates refused and retried")
    engine.dispose()
    return result


@asynccontextmanager
async def _poller(inbox: ReadModelInbox | None) -> AsyncIterator[ReadModelInbox | None]:
    if inbox is None:
        yield None
        return
    task = asyncio.create_task(inbox.run())
    try:
        yield inbox
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


# ------------------------------------------------------------------------------ baseline


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
        self.last_id = ""

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
        self.last_id = handle.id

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
    env: WorkflowEnvironment,
    catalog: Catalog,
    workdir: Path,
    args: argparse.Namespace,
    adapters: Adapters,
) -> Measurement:
    engine = make_engine(f"sqlite:///{workdir / 'baseline.db'}")  # same SQLite settings
    _baseline.METADATA.create_all(engine)
    calls = Calls()
    with ThreadPoolExecutor(max_workers=ACTIVITY_THREADS) as executor:
        task_queue = f"bench-baseline-{uuid.uuid4().hex}"
        worker = _baseline.build_baseline_worker(
            env.client, task_queue=task_queue, engine=engine, adapters=adapters, executor=executor
        )
        async with worker:
            agency = catalog.registry.agency(catalog.latest(RESIDENCE).agency)  # type: ignore[union-attr]
            driver = BaselineDriver(env.client, agency.code, task_queue, args.poll_interval, calls)
            result = await measure("baseline", driver.drive, calls=calls, **_sizes(args))
            result.history = await history_cost(env.client.get_workflow_handle(driver.last_id))
    result.log_rows = _rows(engine, sa.select(sa.func.count()).select_from(_baseline.EVENTS)) / (
        args.dossiers + args.warmup
    )
    engine.dispose()
    return result


# -------------------------------------------------------------------------------- report


def _sizes(args: argparse.Namespace) -> dict[str, int]:
    return {"dossiers": args.dossiers, "concurrency": args.concurrency, "warmup": args.warmup}


def _rows(engine: sa.Engine, query: sa.Select[Any]) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(query) or 0)


def report(results: list[Measurement], args: argparse.Namespace) -> str:
    lines = [
        f"procedure {RESIDENCE}, concurrency {args.concurrency}, warm-up {args.warmup}, "
        f"poll every {args.poll_interval * 1000:.0f} ms, motcua inbox: {args.motcua_inbox}",
        "",
        f"{'side':<10}{'dossiers':>9}{'seconds':>9}{'dossiers/s':>12}{'p50 s':>8}{'p95 s':>8}",
    ]
    for r in results:
        lines.append(
            f"{r.name:<10}{r.dossiers:>9}{r.seconds:>9.2f}{r.rate:>12.2f}"
            f"{r.percentile(50):>8.2f}{r.percentile(95):>8.2f}"
        )
    motcua, baseline = results
    ratio = motcua.rate / baseline.rate
    lines += ["", f"motcua is {ratio:.2f}\N{MULTIPLICATION SIGN} the baseline (dossiers/s)", ""]
    keys = [*motcua.history]
    lines.append(f"{'per dossier':<26}{'motcua':>8}{'baseline':>10}")
    for key in keys:
        lines.append(f"{key:<26}{motcua.history[key]:>8}{baseline.history[key]:>10}")
    for label, ours, theirs in (
        ("client calls (mean)", motcua.client_calls, baseline.client_calls),
        ("log rows (mean)", motcua.log_rows, baseline.log_rows),
        ("python CPU ms (mean)", motcua.python_cpu_ms, baseline.python_cpu_ms),
        ("server CPU ms (mean)", motcua.server_cpu_ms, baseline.server_cpu_ms),
    ):
        lines.append(f"{label:<26}{ours:>8.1f}{theirs:>10.1f}")
    lines += [f"note: {n}" for r in results for n in r.notes]
    return "\n".join(lines)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.throughput", description=__doc__)
    parser.add_argument("--dossiers", type=int, default=120, help="timed dossiers per side")
    parser.add_argument("--concurrency", type=int, default=10, help="dossiers in flight")
    parser.add_argument("--warmup", type=int, default=5, help="untimed dossiers per side first")
    parser.add_argument(
        "--poll-interval",
        type=float,
        default=0.05,
        help="seconds between polls for an open task (both sides)",
    )
    parser.add_argument(
        "--motcua-inbox",
        choices=["read-model", "query"],
        default="read-model",
        help="how motcua's officers find their tasks: the read model's inbox, "
        "or the status query like the baseline",
    )
    args = parser.parse_args(argv)
    if args.dossiers < 1 or args.concurrency < 1 or args.warmup < 0:
        parser.error("--dossiers and --concurrency must be at least 1, --warmup at least 0")
    return args


async def main(args: argparse.Namespace) -> None:
    env = await start_dev_environment()
    catalog = load_catalog(ROOT / "procedure_defs")
    # Both engines call the same simulators through the same HTTP adapters.
    with serving_all(ports=ports_from(0)) as urls:
        adapters = adapters_config(urls).build()
        async with env:
            with tempfile.TemporaryDirectory(prefix="motcua-bench-") as tmp:
                results = []
                for run in (run_motcua, run_baseline):
                    results.append(await run(env, catalog, Path(tmp), args, adapters))
                    print(f"{results[-1].name}: {results[-1].rate:.2f} dossiers/s", flush=True)
        await adapters.aclose()
    print()
    print(report(results, args))


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    asyncio.run(main(parse_args()))
