"""Latency: an officer's claim + decision through HTTP while dossiers flow; p50/p95/p99.

``motcua up`` runs on free loopback ports under a temporary directory. Citizens file permanent
residence dossiers through the API at ``--rate`` per second (the issue asks for half the maximum
throughput; see benchmarks/README.md) and pay at the payment simulator; simulated officers find
every open task in their inbox and claim then decide it (receipt, review, approval). The round
trip timed is the two requests, claim then decision, as an officer's browser sends them; round
trips in the first ``--warmup`` seconds are left out. Goal (issue 12): p99 ≤ 150 ms. It checks
nothing: it is a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import time

import httpx

from benchmarks._crowd import officers, payers
from benchmarks._stack import People, percentile, result_line, running_stack


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.latency", description=__doc__)
    parser.add_argument("--rate", type=float, default=0.3, help="dossiers filed per second")
    parser.add_argument("--seconds", type=float, default=120, help="how long dossiers flow")
    parser.add_argument("--warmup", type=float, default=15, help="seconds not measured first")
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


async def run(args: argparse.Namespace) -> str:
    with running_stack() as stack:
        payments = stack.wait_for(r"^payment simulator\s+(http://\S+?)/docs")[1]
        async with httpx.AsyncClient(base_url=stack.api_url, timeout=60) as http:
            people = People(http)
            round_trips: list[float] = []
            filed: list[str] = []
            crowd = [
                asyncio.create_task(file_at(people, args.rate, filed)),
                asyncio.create_task(payers(people, payments, random.Random(3), twice=0.0)),
                asyncio.create_task(officers(people, round_trips)),
            ]
            await asyncio.sleep(args.warmup)
            del round_trips[:]
            began = time.monotonic()
            await asyncio.sleep(args.seconds - args.warmup)
            measured = list(round_trips)
            window = time.monotonic() - began
            for task in crowd:
                task.cancel()
            await asyncio.gather(*crowd, return_exceptions=True)
    ms = [s * 1000 for s in measured]
    return result_line(
        rate=args.rate,
        filed=len(filed),
        decisions=len(ms),
        decisions_per_s=len(ms) / window,
        p50_ms=percentile(ms, 50),
        p95_ms=percentile(ms, 95),
        p99_ms=percentile(ms, 99),
    )


def main(argv: list[str] | None = None) -> None:
    print(asyncio.run(run(parse_args(argv))), flush=True)


if __name__ == "__main__":
    main()
