"""Latency: an officer's claim + decision through HTTP while dossiers flow; p50/p95/p99.

``motcua up`` runs on free loopback ports under a temporary directory. Citizens file permanent
residence dossiers through the API at ``--rate`` per second (the issue asks for half the maximum
throughput; see benchmarks/README.md) and pay at the payment simulator; simulated officers find
every open task in their inbox and claim then decide it (receipt, review, approval). The round
trip timed is the two requests, claim then decision, as an officer's browser sends them
(``--no-claim``: the decision alone, which claims the task in the same update); round trips in
the first ``--warmup`` seconds are left out. ``--profile DIR`` samples the API and the worker
with py-spy meanwhile (docs/latency.md). Goal (issue 12): p99 ≤ 150 ms. It checks
nothing: it is a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from benchmarks._crowd import officers, payers
from benchmarks._profile import py_spy
from benchmarks._stack import People, Stack, percentile, result_line, running_stack


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.latency", description=__doc__)
    parser.add_argument("--rate", type=float, default=0.3, help="dossiers filed per second")
    parser.add_argument("--seconds", type=float, default=120, help="how long dossiers flow")
    parser.add_argument("--warmup", type=float, default=15, help="seconds not measured first")
    parser.add_argument(
        "--no-claim",
        dest="claim",
        action="store_false",
        help="decide each task without claiming it first (one request, one workflow update)",
    )
    parser.add_argument(
        "--profile",
        type=Path,
        metavar="DIR",
        help="py-spy the API and the worker over the measured window (DIR/api.txt, worker.txt)",
    )
    args = parser.parse_args(argv)
    if args.rate <= 0 or args.seconds <= 0 or not 0 <= args.warmup < args.seconds:
        parser.error("--rate and --seconds must be positive, --warmup below --seconds")
    return args


async def file_at(people: People, rate: float, filed: list[str]) -> None:
    """File a dossier every 1/rate seconds, each on its own (a slow one does not hold the next)."""
    pending: set[asyncio.Task[None]] = set()

    async def one() -> None:
        with contextlib.suppress(httpx.HTTPError):  # a failed filing is not counted
            filed.append(await people.submit())

    while True:
        task = asyncio.create_task(one())
        pending.add(task)
        task.add_done_callback(pending.discard)
        await asyncio.sleep(1 / rate)


@contextlib.contextmanager
def profiling(stack: Stack, folder: Path | None) -> Iterator[None]:
    """py-spy (``pip install py-spy``) on the API and the worker while the block runs: only
    the thread holding the GIL, without pausing them (see benchmarks/README.md, "Profiling")."""
    if folder is None:
        yield
        return
    folder.mkdir(parents=True, exist_ok=True)
    spies = [_spy(stack.pids(role)[-1], folder / f"{role}.txt") for role in ("api", "worker")]
    try:
        yield
    finally:
        for spy in spies:
            spy.send_signal(signal.SIGINT)  # py-spy writes its file on Ctrl-C
            spy.wait()


def _spy(pid: int, output: Path) -> subprocess.Popen[bytes]:
    options = ["--rate", "100", "--format", "raw", "--threads", "--gil", "--nonblocking"]
    command = [py_spy(), "record", "--pid", str(pid), *options, "--output", str(output)]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


async def run(args: argparse.Namespace) -> str:
    with running_stack() as stack:
        payments = stack.wait_for(r"^payment simulator\s+(http://\S+?)/docs")[1]
        async with httpx.AsyncClient(base_url=stack.api_url, timeout=60) as http:
            people = People(http)
            round_trips: list[tuple[float, float]] = []
            filed: list[str] = []
            crowd = [
                asyncio.create_task(file_at(people, args.rate, filed)),
                asyncio.create_task(payers(people, payments, random.Random(3), twice=0.0)),
                asyncio.create_task(officers(people, round_trips, claim=args.claim)),
            ]
            await asyncio.sleep(args.warmup)
            del round_trips[:]
            began = time.monotonic()
            with profiling(stack, args.profile):
                await asyncio.sleep(args.seconds - args.warmup)
            measured = list(round_trips)
            window = time.monotonic() - began
            for task in crowd:
                task.cancel()
            await asyncio.gather(*crowd, return_exceptions=True)
    ms = [(c + d) * 1000 for c, d in measured]
    claims = [c * 1000 for c, _ in measured] if args.claim else []
    return result_line(
        rate=args.rate,
        claim=args.claim,
        filed=len(filed),
        decisions=len(ms),
        decisions_per_s=len(ms) / window,
        p50_ms=percentile(ms, 50),
        p95_ms=percentile(ms, 95),
        p99_ms=percentile(ms, 99),
        claim_p99_ms=percentile(claims, 99),
        decision_p99_ms=percentile([d * 1000 for _, d in measured], 99),
    )


def main(argv: list[str] | None = None) -> None:
    print(asyncio.run(run(parse_args(argv))), flush=True)


if __name__ == "__main__":
    main()
