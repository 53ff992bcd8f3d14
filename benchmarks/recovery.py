"""Recovery: the engine worker SIGKILLed with N dossiers open; seconds until every one answers.

``motcua up`` runs on free loopback ports under a temporary directory. N permanent residence
dossiers are filed through the API and left waiting at receipt. The worker is SIGKILLed (the
supervisor restarts it); the clock runs from the kill until every dossier reads through the API
and a sample of them has been claimed and decided through the API (each decision is an update
the restarted worker must serve, replaying that dossier's history). Goal (issue 12): N = 5,000
in under 60 s. It checks nothing: it is a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import time

import httpx

from benchmarks._stack import People, result_line, running_stack

RECEIPT = "one-stop-officer"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.recovery", description=__doc__)
    parser.add_argument("--open", type=int, default=500, help="dossiers open at the kill")
    parser.add_argument("--sample", type=int, default=20, help="dossiers decided after the kill")
    parser.add_argument("--concurrency", type=int, default=8, help="API requests in flight")
    args = parser.parse_args(argv)
    if args.open < 1 or args.sample < 1 or args.concurrency < 1:
        parser.error("--open, --sample and --concurrency must be at least 1")
    return args


async def fill(people: People, n: int, concurrency: int) -> list[str]:
    """File ``n`` dossiers, ``concurrency`` at a time; their codes once each waits at receipt."""
    gate = asyncio.Semaphore(concurrency)

    async def one() -> str:
        async with gate:
            return await people.submit()

    codes = await asyncio.gather(*(one() for _ in range(n)))
    while len({t["dossier_code"] for t in await people.tasks(RECEIPT)} & set(codes)) < n:
        await asyncio.sleep(1)
    return list(codes)


async def until_answered(people: People, codes: list[str], concurrency: int) -> None:
    """Every dossier read through the API (retried until each answers 200)."""
    gate = asyncio.Semaphore(concurrency)

    async def one(code: str) -> None:
        async with gate:
            while True:
                try:
                    await people.read(code)
                    return
                except httpx.HTTPError:
                    await asyncio.sleep(0.2)

    await asyncio.gather(*(one(code) for code in codes))


async def until_decided(people: People, tasks: list[dict[str, str]]) -> int:
    """Claim and accept each task, retrying while the engine does not answer; the retries."""
    retries = 0

    async def one(task: dict[str, str]) -> None:
        nonlocal retries
        while True:
            try:
                status = await people.claim_and_decide(RECEIPT, task["task_id"], "accept", "lan")
            except httpx.HTTPError:
                status = 0
            if status == 200:
                return
            retries += 1
            await asyncio.sleep(0.2)

    await asyncio.gather(*(one(task) for task in tasks))
    return retries


async def run(args: argparse.Namespace) -> str:
    with running_stack() as stack:
        timeout = httpx.Timeout(90.0)
        async with httpx.AsyncClient(base_url=stack.api_url, timeout=timeout) as http:
            people = People(http)
            started = time.monotonic()
            codes = await fill(people, args.open, args.concurrency)
            filled = time.monotonic() - started
            print(f"{len(codes)} dossiers open at receipt after {filled:.1f} s", flush=True)
            sample = [t for t in await people.tasks(RECEIPT) if t["dossier_code"] in set(codes)]
            sample = sample[: args.sample]
            times: dict[str, float] = {}
            pid = stack.kill("worker")
            killed = time.monotonic()
            print(f"worker (pid {pid}) SIGKILLed", flush=True)
            reads = asyncio.create_task(until_answered(people, codes, args.concurrency))
            reads.add_done_callback(lambda _: times.setdefault("reads", time.monotonic()))
            retries = await until_decided(people, sample)
            decided = time.monotonic() - killed
            await reads
            answered = times["reads"] - killed
            restarted = stack.pids("worker")[-1] != pid
    return result_line(
        open=len(codes),
        sample=len(sample),
        reads_s=answered,
        decisions_s=decided,
        recovery_s=max(answered, decided),
        decision_retries=retries,
        worker_restarted=restarted,
        fill_s=filled,
    )


def main(argv: list[str] | None = None) -> None:
    print(asyncio.run(run(parse_args(argv))), flush=True)


if __name__ == "__main__":
    main()
