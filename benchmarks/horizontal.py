"""Horizontal scale: one engine worker process against two on one task queue, same run.

``motcua up`` runs on free loopback ports under a temporary directory (``_stack.py``). Citizens
file permanent residence dossiers through the API, ``--in-flight`` open at a time (a new one as
soon as one ends), and pay at the payment simulator; simulated officers claim and decide every
open task as soon as they see it, all of a role's at once. Phase "one": the stack's own engine
worker, ``--warmup`` dossiers untimed then ``--dossiers`` timed. Then a second engine worker
process (``motcua worker``, same settings, same task queue) starts; once the dev server lists
both as pollers, phase "two" does the same. Each phase's dossiers/s is its timed dossiers over
the seconds from its first filing to its last ending. The machine's CPU use over each phase
(all cores, from /proc/stat) says whether the second process had any idle core to use. It
checks nothing: it is a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import httpx
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest
from temporalio.client import Client

from benchmarks._crowd import OFFICERS, payers
from benchmarks._stack import ROOT, People, Stack, result_line, running_stack
from benchmarks.chaos import statuses
from motcua.dossier._inputs import TERMINAL_STATUSES
from motcua.settings import Settings

POLL_SECONDS = 0.5


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.horizontal", description=__doc__)
    parser.add_argument("--dossiers", type=int, default=40, help="dossiers per phase")
    parser.add_argument("--warmup", type=int, default=4, help="untimed dossiers before each")
    parser.add_argument("--in-flight", type=int, default=12, help="dossiers open at a time")
    args = parser.parse_args(argv)
    if args.dossiers < 1 or args.in_flight < 1 or args.warmup < 0:
        parser.error("--dossiers and --in-flight must be at least 1, --warmup at least 0")
    return args


def busy_cores() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine so far, all cores (/proc/stat)."""
    fields = [float(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle and iowait
    tick = os.sysconf("SC_CLK_TCK")
    return (sum(fields) - idle) / tick, sum(fields) / tick


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) of process ``pid`` so far; 0 when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def desk(people: People, role: str, outcome: str, name: str) -> None:
    """One role's officers: every open task of a round claimed and decided at once, so that
    the officers, unlike ``_crowd.officers`` (one task after another), are never what the
    engine waits for."""
    while True:
        try:
            tasks = await people.tasks(role)
            deciding = (people.claim_and_decide(role, t["task_id"], outcome, name) for t in tasks)
            await asyncio.gather(*deciding, return_exceptions=True)
        except httpx.HTTPError:
            pass  # the API is busy for a moment: next round
        await asyncio.sleep(POLL_SECONDS)


async def phase(people: People, dossiers: int, in_flight: int) -> float:
    """File ``dossiers`` dossiers, at most ``in_flight`` open at a time; the seconds from the
    first filing until the last one ended."""
    began = time.monotonic()
    open_codes: list[str] = []
    filed = 0
    ended = 0
    while ended < dossiers:
        while filed < dossiers and len(open_codes) < in_flight:
            open_codes.append(await people.submit())
            filed += 1
        now = await statuses(people, open_codes)
        done = [code for code, status in now.items() if status in TERMINAL_STATUSES]
        open_codes = [code for code in open_codes if code not in done]
        ended += len(done)
        if not done:
            await asyncio.sleep(POLL_SECONDS)
    return time.monotonic() - began


def second_worker(stack: Stack, log: Path) -> subprocess.Popen[bytes]:
    """Another engine worker with the stack's settings: the adapters ``motcua up`` wrote, no
    metrics port (the first worker has it)."""
    var = Path(stack.environ["MOTCUA_VAR_DIR"])
    environ = stack.environ | {
        "MOTCUA_ADAPTERS_FILE": str(var / "simulator-adapters.yaml"),
        "MOTCUA_METRICS_PORT": "0",
        "MOTCUA_LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "motcua.cli", "worker"],
            cwd=ROOT, env=environ, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip


async def pollers(address: str, task_queue: str) -> int:
    """How many distinct workers poll ``task_queue`` for workflow tasks, as the server says."""
    client = await Client.connect(address)
    request = DescribeTaskQueueRequest(namespace="default", task_queue=TaskQueue(name=task_queue))
    answer = await client.workflow_service.describe_task_queue(request)
    return len({poller.identity for poller in answer.pollers})


async def measured(people: People, args: argparse.Namespace, pids: list[int]) -> list[float]:
    """One phase, after ``--warmup`` untimed dossiers (a fresh worker's first workflow tasks
    pay for its imports and sandbox): [seconds, dossiers/s, machine CPU busy share, the
    engine workers' CPU seconds per dossier]."""
    if args.warmup:
        await phase(people, args.warmup, args.in_flight)
    busy0, total0 = busy_cores()
    cpu0 = sum(process_cpu(pid) for pid in pids)
    seconds = await phase(people, args.dossiers, args.in_flight)
    busy1, total1 = busy_cores()
    cpu = sum(process_cpu(pid) for pid in pids) - cpu0
    share = (busy1 - busy0) / max(total1 - total0, 1e-9)
    return [seconds, args.dossiers / seconds, share, cpu / args.dossiers]


async def run(args: argparse.Namespace) -> str:
    with running_stack() as stack:
        payments = stack.wait_for(r"^payment simulator\s+(http://\S+?)/docs")[1]
        address = stack.environ["MOTCUA_TEMPORAL_ADDRESS"]
        task_queue = Settings(environment="development", dev_mode=True).task_queue
        first = stack.pids("worker")[-1]
        async with httpx.AsyncClient(base_url=stack.api_url, timeout=90) as http:
            people = People(http)
            crowd = [
                *(asyncio.create_task(desk(people, *officer)) for officer in OFFICERS),
                asyncio.create_task(payers(people, payments, random.Random(0), twice=0.0)),
            ]
            one = await measured(people, args, [first])
            print(f"one worker:  {_shown(one)}", flush=True)
            extra = second_worker(stack, Path(stack.environ["MOTCUA_VAR_DIR"]) / "worker2.log")
            try:
                while await pollers(address, task_queue) < 2:
                    await asyncio.sleep(POLL_SECONDS)
                two = await measured(people, args, [first, extra.pid])
                print(f"two workers: {_shown(two)}", flush=True)
            finally:
                extra.terminate()
                extra.wait(timeout=60)
            for task in crowd:
                task.cancel()
            await asyncio.gather(*crowd, return_exceptions=True)
    return result_line(
        dossiers=args.dossiers, in_flight=args.in_flight,
        one_per_s=one[1], two_per_s=two[1], ratio=two[1] / one[1],
        one_cpu_busy=one[2], two_cpu_busy=two[2],
        one_worker_cpu_s=one[3], two_worker_cpu_s=two[3],
    )  # fmt: skip


def _shown(figures: list[float]) -> str:
    seconds, rate, share, cpu = figures
    return (
        f"{seconds:.1f} s, {rate:.3f} dossiers/s, machine CPU busy {share:.0%}, "
        f"engine worker CPU {cpu:.2f} s per dossier"
    )


def main(argv: list[str] | None = None) -> None:
    print(asyncio.run(run(parse_args(argv))), flush=True)


if __name__ == "__main__":
    main()
