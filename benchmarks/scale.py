"""Scale: N dossiers open and waiting on one machine; what holding them costs.

``motcua up`` runs on free loopback ports under a temporary directory. Permanent residence
dossiers are filed through the API in ``--steps`` equal steps up to ``--open`` and left waiting at
receipt. After each step: the worker's resident memory (from /proc), the Temporal dev server's
database size, the officers' inbox (``GET /v1/tasks``, first page) p50/p99 over ``--reads``
requests, and the filing rate of that step. The slope (MiB of worker memory per 1,000 open
dossiers) comes from the first and last steps. Goal (issue 12): N = 100,000 with worker RSS
< 1 GiB and inbox p99 < 20 ms. It checks nothing: it is a benchmark, not a test.

``--inbox-only N [N ...]`` measures the inbox query alone at sizes no filing run reaches here: N
open tasks (and twice as many decided ones) of one officer's scope, written straight into a
fresh SQLite read model (or ``--database-url``), then the first page as the API reads it
(``motcua.services.officer_inbox``) p50/p99 over ``--reads`` calls; no Temporal, no HTTP.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import Engine, insert

from benchmarks._stack import AGENCY, People, percentile, result_line, running_stack
from benchmarks.recovery import RECEIPT, fill
from motcua.services import Officer, officer_inbox
from motcua.store import (
    DossierRow,
    TaskRow,
    make_engine,
    migrate,
    recount_tasks,
    session_factory,
)

MIB = 1024 * 1024


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scale", description=__doc__)
    parser.add_argument("--open", type=int, default=1000, help="dossiers open at the end")
    parser.add_argument("--steps", type=int, default=4, help="measure after each of these")
    parser.add_argument("--reads", type=int, default=200, help="inbox requests per measure")
    parser.add_argument("--concurrency", type=int, default=8, help="filings in flight")
    parser.add_argument(
        "--inbox-only",
        type=int,
        nargs="+",
        metavar="N",
        help="time the inbox query alone at these numbers of open tasks",
    )
    parser.add_argument("--database-url", help="with --inbox-only: an empty database to use")
    args = parser.parse_args(argv)
    if args.open < args.steps or args.steps < 1 or args.reads < 2 or args.concurrency < 1:
        parser.error("--open must be at least --steps (≥ 1), --reads at least 2")
    return args


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024 / MIB
    return 0.0


def size_mib(var: Path, name: str) -> float:
    """A SQLite database with its write-ahead log."""
    files = [var / name, var / f"{name}-wal"]
    return sum(f.stat().st_size for f in files if f.exists()) / MIB


async def inbox_ms(people: People, reads: int) -> list[float]:
    took = []
    for _ in range(reads):
        began = time.perf_counter()
        page = await people.http.get("/v1/tasks", headers=people.officer(RECEIPT))
        page.raise_for_status()
        took.append((time.perf_counter() - began) * 1000)
    return took


async def run(args: argparse.Namespace) -> str:
    rows: list[dict[str, float]] = []
    with running_stack() as stack:
        var = Path(stack.environ["MOTCUA_VAR_DIR"])
        async with httpx.AsyncClient(base_url=stack.api_url, timeout=90) as http:
            people = People(http)
            held = 0
            for step in range(1, args.steps + 1):
                count = args.open * step // args.steps - held
                began = time.monotonic()
                await fill(people, count, args.concurrency)
                rate = count / (time.monotonic() - began)
                held += count
                reads = await inbox_ms(people, args.reads)
                row = {
                    "open": held,
                    "worker_rss_mib": rss_mib(stack.pids("worker")[-1]),
                    "temporal_db_mib": size_mib(var, "temporal.db"),
                    "inbox_p50_ms": percentile(reads, 50),
                    "inbox_p99_ms": percentile(reads, 99),
                    "filed_per_s": rate,
                }
                rows.append(row)
                print(" ".join(f"{k}={v:.1f}" for k, v in row.items()), flush=True)
    first, last = rows[0], rows[-1]
    span = (last["open"] - first["open"]) / 1000
    slope = (last["worker_rss_mib"] - first["worker_rss_mib"]) / span if span else 0.0
    return result_line(**{k: v for k, v in last.items() if k != "open"}, open=int(last["open"]),
                       rss_mib_per_1000=slope)  # fmt: skip


def inbox_only(sizes: list[int], *, reads: int, url: str | None) -> str:
    """The inbox query alone (what ``GET /v1/tasks`` runs) at each size, on one read model
    grown from one size to the next."""
    with tempfile.TemporaryDirectory(prefix="motcua-inbox-") as scratch:
        url = url or f"sqlite:///{Path(scratch) / 'motcua.db'}"
        migrate(url)
        engine = make_engine(url)
        officer = Officer(id="lan", roles=[RECEIPT], agencies=[AGENCY])
        held, last = 0, ""
        for size in sorted(sizes):
            _open_tasks(engine, held, size)
            held = size
            with session_factory(engine, read_only=True)() as session:
                officer_inbox(session, officer)  # warm: the first read loads the pages
                took = []
                for _ in range(reads):
                    began = time.perf_counter()
                    _, total = officer_inbox(session, officer)
                    took.append((time.perf_counter() - began) * 1000)
            p50, p99 = percentile(took, 50), percentile(took, 99)
            last = result_line(open=total, inbox_p50_ms=p50, inbox_p99_ms=p99)
            print(f"open={total} inbox_p50_ms={p50:.2f} inbox_p99_ms={p99:.2f}", flush=True)
        engine.dispose()
    return last


def _open_tasks(engine: Engine, first: int, end: int) -> None:
    """Dossiers ``first`` … ``end - 1`` at receipt, each with one open task and two decided
    ones (the history an office's inbox index also holds), due at scattered instants."""
    t0 = datetime(2026, 1, 15, 1, 0, tzinfo=UTC)
    for chunk in range(first, end, 5000):
        dossiers, tasks = [], []
        for i in range(chunk, min(end, chunk + 5000)):
            code = f"BENCH-{i:07d}"
            dossiers.append({"dossier_code": code, "workflow_id": f"w-{code}",
                             "procedure_code": "1.004222", "procedure_version": 1,
                             "agency": AGENCY, "channel": "online", "status": "in_review",
                             "received_at": t0, "last_seq": 1, "updated_at": t0})  # fmt: skip
            for n, status in enumerate(("decided", "decided", "open")):
                due = t0 + timedelta(hours=8, seconds=(i * 7919) % 100_000)
                tasks.append({"task_id": f"{code}/{n}", "dossier_code": code,
                              "workflow_id": f"w-{code}", "role": RECEIPT, "agency": AGENCY,
                              "status": status, "created_at": t0 + timedelta(seconds=i),
                              "due_at": due})  # fmt: skip
        with session_factory(engine).begin() as session:
            session.execute(insert(DossierRow), dossiers)
            session.execute(insert(TaskRow), tasks)
            recount_tasks(session.connection())  # written around the projector that keeps them


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.inbox_only:
        print(inbox_only(args.inbox_only, reads=args.reads, url=args.database_url), flush=True)
        return
    print(asyncio.run(run(args)), flush=True)


if __name__ == "__main__":
    main()
