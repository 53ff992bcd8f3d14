"""Chaos: N dossiers flowing while the worker is SIGKILLed and the Temporal dev server restarted
at random moments; then drained and audited.

``motcua up`` runs on free loopback ports under a temporary directory (the dev server persisted
with ``--db-filename``, restarted by the supervisor). Citizens file permanent residence dossiers
through the API and pay at the payment simulator, which confirms to the API's signed callback;
one in ten pays twice (a second transaction) and should be refunded. Simulated officers claim and
decide every open task through the API (receipt, review, then approval by another officer).
Meanwhile the worker is SIGKILLed ``--worker-kills`` times and the dev server ``--server-kills``
times. Once the faults are over the run drains until every dossier is finished or
``--drain-seconds`` pass, then reads the books: the read model (through the API), the event log
and the payment platform. Goal (issue 12): 0 stuck, 0 lost, 0 gaps, 0 double charges.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time

import httpx

from benchmarks._audit import (
    Books,
    count_books,
    event_books,
    payment_books,
    status_books,
    stuck_details,
)
from benchmarks._crowd import officers, payers
from benchmarks._stack import People, Stack, result_line, running_stack
from motcua.dossier._inputs import TERMINAL_STATUSES


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.chaos", description=__doc__)
    parser.add_argument("--dossiers", type=int, default=60, help="dossiers filed")
    parser.add_argument("--worker-kills", type=int, default=5, help="SIGKILLs of the worker")
    parser.add_argument("--server-kills", type=int, default=2, help="dev server SIGKILLs")
    parser.add_argument("--fault-seconds", type=float, default=90, help="faults within this")
    parser.add_argument("--drain-seconds", type=float, default=300, help="then wait this long")
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args(argv)
    if args.dossiers < 1 or args.worker_kills < 0 or args.server_kills < 0:
        parser.error("--dossiers must be at least 1, the kills at least 0")
    if args.worker_kills > 5 or args.server_kills > 5:
        parser.error("at most 5 kills per role: the supervisor gives up on a 6th crash in a row")
    return args


async def file_all(people: People, codes: list[str]) -> None:
    """File the dossiers one after the other, each code put in its place in ``codes``."""
    for n in range(len(codes)):
        while not codes[n]:
            try:  # the same key again after a failure: the same dossier, never a second one
                codes[n] = await people.submit(key=f"chaos-{n}")
            except httpx.HTTPError:
                await asyncio.sleep(1)


async def faults(stack: Stack, args: argparse.Namespace, rng: random.Random) -> list[str]:
    """The kills at random moments within the fault window, each after the last one recovered."""
    plan = ["worker"] * args.worker_kills + ["temporal"] * args.server_kills
    moments = sorted(rng.uniform(5, args.fault_seconds) for _ in plan)
    rng.shuffle(plan)
    start, done = time.monotonic(), []
    for role, moment in zip(plan, moments, strict=True):
        await asyncio.sleep(max(0.0, start + moment - time.monotonic()))
        before = len(stack.pids(role))
        stack.kill(role)
        done.append(f"{time.monotonic() - start:.0f}s {role}")
        print(f"fault: {done[-1]} SIGKILLed", flush=True)
        while len(stack.pids(role)) == before:  # restarted (after the supervisor's back-off)
            await asyncio.sleep(0.2)
    return done


async def statuses(people: People, codes: list[str]) -> dict[str, str | None]:
    """Each dossier's status as its citizen reads it; None when it cannot be read."""
    found: dict[str, str | None] = {}
    for code in codes:
        try:
            found[code] = (await people.read(code))["status"]
        except httpx.HTTPError:
            found[code] = None
    return found


async def run(args: argparse.Namespace) -> str:
    rng = random.Random(args.seed)
    with running_stack() as stack:
        payments = stack.wait_for(r"^payment simulator\s+(http://\S+?)/docs")[1]
        async with httpx.AsyncClient(base_url=stack.api_url, timeout=90) as http:
            people = People(http)
            codes = [""] * args.dossiers  # filled in as the citizens file
            crowd = [
                asyncio.create_task(officers(people)),
                asyncio.create_task(file_all(people, codes)),
                asyncio.create_task(payers(people, payments, rng, twice=0.1)),  # one in ten twice
            ]
            injected = await faults(stack, args, rng)
            started = time.monotonic()
            while time.monotonic() - started < args.drain_seconds:
                now = await statuses(people, [c for c in codes if c])
                if len(now) == args.dossiers and set(now.values()) <= TERMINAL_STATUSES:
                    break
                await asyncio.sleep(2)
            drained = time.monotonic() - started
            for task in crowd:
                task.cancel()
            await asyncio.gather(*crowd, return_exceptions=True)
            books = Books()
            stuck = status_books(await statuses(people, [c for c in codes if c]), books)
            database = stack.environ["MOTCUA_DATABASE_URL"]
            for line in stuck_details(database, stack.environ["MOTCUA_TEMPORAL_ADDRESS"], stuck):
                print(line, flush=True)
            books.submitted = args.dossiers  # one not filed at all is lost too
            books.lost += args.dossiers - len([c for c in codes if c])
            kinds = event_books(database, codes, books)
            count_books(database, books)
            await payment_books(payments, kinds, books)
    print("faults: " + ", ".join(injected), flush=True)
    return result_line(**books.figures(), faults=len(injected), drain_s=drained)


def main(argv: list[str] | None = None) -> None:
    print(asyncio.run(run(parse_args(argv))), flush=True)


if __name__ == "__main__":
    main()
