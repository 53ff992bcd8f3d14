"""What one side's timed run measures: dossiers/s, latency, CPU per dossier, history cost.

The dossier both sides run and the load they run it under are defined here too, so the two
drivers cannot drift apart.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client

from benchmarks._cpu import CpuSnapshot, CpuUsage, cpu_used
from benchmarks._profile import sampling
from motcua.dossier import Applicant, RunOptions

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


@dataclass(frozen=True)
class Load:
    """How one side is run: ``warmup`` untimed dossiers, then ``dossiers`` timed ones with
    ``concurrency`` in flight; ``profile`` names a py-spy file for the timed window."""

    dossiers: int
    concurrency: int
    warmup: int
    poll_interval: float
    motcua_inbox: str = "read-model"
    profile: Path | None = None
    profile_mode: str = "gil"


@dataclass
class Calls:
    """Client calls (start, update, signal, query, result) the driver made to the server."""

    total: int = 0
    refused: int = 0

    def __call__(self) -> None:
        self.total += 1


@dataclass
class Measurement:
    """One side's timed run, and what one of its dossiers cost."""

    name: str
    concurrency: int
    dossiers: int
    seconds: float
    latencies: list[float]
    cpu: CpuUsage
    history: dict[str, float] = field(default_factory=dict)
    client_calls: float = 0.0
    log_rows: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        """Dossiers per second."""
        return self.dossiers / self.seconds

    @property
    def python_cpu_ms(self) -> float:
        """CPU of the Python process(es) per dossier: drivers, workers, simulators."""
        return self.cpu.python * 1000 / self.dossiers

    @property
    def server_cpu_ms(self) -> float:
        """CPU of the Temporal dev server per dossier."""
        return self.cpu.server * 1000 / self.dossiers

    @property
    def total_cpu_ms(self) -> float:
        """CPU of every process per dossier."""
        return self.cpu.total * 1000 / self.dossiers

    def role_ms(self, role: str) -> float:
        """CPU per dossier of the threads of this process in ``role``."""
        return self.cpu.by_role.get(role, 0.0) * 1000 / self.dossiers

    @classmethod
    def merged(cls, parts: Sequence[Measurement]) -> Measurement:
        """One side's windows of one run as one measurement: dossiers, seconds and CPU summed,
        per-dossier means weighted by dossiers, the history of the last window."""
        dossiers = sum(p.dossiers for p in parts)
        by_role: dict[str, float] = {}
        for part in parts:
            for role, seconds in part.cpu.by_role.items():
                by_role[role] = by_role.get(role, 0.0) + seconds
        return cls(
            name=parts[0].name,
            concurrency=parts[0].concurrency,
            dossiers=dossiers,
            seconds=sum(p.seconds for p in parts),
            latencies=[latency for p in parts for latency in p.latencies],
            cpu=CpuUsage(
                python=sum(p.cpu.python for p in parts),
                server=sum(p.cpu.server for p in parts),
                by_role=by_role,
            ),
            history=parts[-1].history,
            client_calls=sum(p.client_calls * p.dossiers for p in parts) / dossiers,
            log_rows=sum(p.log_rows * p.dossiers for p in parts) / dossiers,
            notes=[note for p in parts for note in p.notes],
        )

    def percentile(self, p: int) -> float:
        if len(self.latencies) < 2:
            return self.latencies[0] if self.latencies else 0.0
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[p - 1]


async def measure(name: str, drive: Drive, load: Load, calls: Calls) -> Measurement:
    """Warm up, then run ``load.dossiers`` through ``drive`` with ``load.concurrency`` in
    flight; CPU is read around the timed window only."""
    gate = asyncio.Semaphore(load.concurrency)
    latencies: list[float] = []

    async def one(i: int) -> None:
        async with gate, asyncio.timeout(DOSSIER_TIMEOUT):
            started = time.perf_counter()
            await drive(i)
            latencies.append(time.perf_counter() - started)

    await asyncio.gather(*(one(-1 - i) for i in range(load.warmup)))
    latencies.clear()
    calls.total = calls.refused = 0
    profiler: AbstractAsyncContextManager[Any] = (
        sampling(load.profile, load.profile_mode) if load.profile else nullcontext()
    )
    async with profiler:
        before = CpuSnapshot.take()
        started = time.perf_counter()
        await asyncio.gather(*(one(i) for i in range(load.dossiers)))
        seconds = time.perf_counter() - started
        after = CpuSnapshot.take()
    return Measurement(
        name=name,
        concurrency=load.concurrency,
        dossiers=load.dossiers,
        seconds=seconds,
        latencies=latencies,
        cpu=cpu_used(before, after),
        client_calls=calls.total / load.dossiers,
    )


HISTORY_SAMPLE = 10  # dossiers whose histories are read: one alone varies by a workflow task
# What the history columns count, besides events and bytes.
_COUNTED = {
    "workflow tasks": EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
    "activities": EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
    "local activities": EventType.EVENT_TYPE_MARKER_RECORDED,
    "updates": EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED,
    "signals": EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED,
    "search attribute upserts": EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES,
}


async def history_cost(client: Client, workflow_ids: Sequence[str]) -> dict[str, float]:
    """What a dossier cost the server, the mean over the last few finished: history events,
    workflow tasks, activities."""
    sample = workflow_ids[-HISTORY_SAMPLE:]
    total = dict.fromkeys(["history events", "history bytes", *_COUNTED], 0.0)
    for workflow_id in sample:
        history = await client.get_workflow_handle(workflow_id).fetch_history()
        kinds = Counter(e.event_type for e in history.events)
        total["history events"] += len(history.events)
        total["history bytes"] += sum(e.ByteSize() for e in history.events)
        for label, kind in _COUNTED.items():
            total[label] += kinds[kind]
    return {label: value / max(len(sample), 1) for label, value in total.items()}


def count_rows(engine: sa.Engine, query: sa.Select[Any]) -> int:
    """The integer ``query`` selects (a row count)."""
    with engine.connect() as conn:
        return int(conn.scalar(query) or 0)
