"""Does the demo's on-time rate come from the office model or from the clock speed?

The same seed at several clock speeds: each run gets a fresh read model, a fresh worker process
(``worker.py``, as ``motcua worker`` runs it) and fresh simulators (``motcua sim all``, another
process), on one Temporal dev server; the demo drives them from this process. Each run prints its
on-time rate (Decision 766, overall), the task lag the demo measured, with ``--adapt`` the
probes' lag and the speed the office opened at, and the clock's last speed; the last line is
``RESULT``. Every run starts on the next Monday morning and lasts until its counted dossiers
have ended, or ``--max-seconds``.

    python -m benchmarks.demo_clock --dossiers 30 --speeds 1500 3000 [--adapt]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from datetime import time as dtime
from pathlib import Path

from rich.console import Console
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest
from temporalio.client import Client

from motcua.binaries import start_dev_environment
from motcua.calendar import WorkCalendar, default_calendar
from motcua.crypto import new_key, parse_keys
from motcua.definitions import load_catalog
from motcua.demo import DemoConfig, DemoReport, OfficeFile, first_morning, load_office, run_demo
from motcua.demo._office_file import Lognormal
from motcua.demo._summary import ClockFacts
from motcua.dossier import RunOptions
from motcua.settings import DEV_EVIDENCE_PEPPER
from motcua.simulators import KIND_OF, ports_from
from motcua.store import make_engine, migrate, session_factory

ROOT = Path(__file__).resolve().parent.parent
# Procedures that end within a day or two of calendar time (birth and marriage registration the
# same working day, business household in three), two officers per desk, citizens who answer
# within hours: a run short enough to repeat, that still has queues, supplements and refusals.
SHORT_MIX = {"1.001193": 0.5, "1.000894": 0.3, "1.001612": 0.2}


def short_office() -> OfficeFile:
    """The packaged office with :data:`SHORT_MIX` and citizens who always answer, soon."""
    plan = load_office()
    citizens = plan.citizens.model_copy(
        update={
            "never_pay": 0.0,
            "never_supplement": 0.0,
            "withdraw_share": 0.0,
            "pay_hours": Lognormal(median=1, sigma=0.5),
            "supplement_hours": Lognormal(median=3, sigma=0.5),
        }
    )
    arrivals = plan.arrivals.model_copy(update={"per_working_day": 60})
    update = {"mix": SHORT_MIX, "citizens": citizens, "arrivals": arrivals}
    return plan.model_copy(update={**update, "officers": {"default": 2}})


def monday_morning(calendar: WorkCalendar, now: datetime) -> datetime:
    """The opening of the first working day after the Sunday following ``now``: a run's few
    calendar days then fall in one working week, with no weekend to wait through."""
    today = now.astimezone(calendar.tz).date()
    sunday = today + timedelta(days=(6 - today.weekday()) or 7)
    return first_morning(calendar, datetime.combine(sunday, dtime(12), calendar.tz))


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=30)
    parser.add_argument("--speeds", type=float, nargs="+", default=[1500, 3000])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--adapt", action="store_true", help="let the governor slow the clock")
    parser.add_argument("--max-seconds", type=float, default=600)
    return parser.parse_args(argv)


def _free_base() -> int:
    """A first port with the simulators' six consecutive ports free."""
    while True:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            base = int(probe.getsockname()[1])
        if base + len(KIND_OF) < 65000 and all(_free(base + i) for i in range(len(KIND_OF))):
            return base


def _free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


@contextmanager
def _processes(address: str, keys: str, work: Path, task_queue: str) -> Iterator[str]:
    """The simulators and a worker in processes of their own; yields the database URL."""
    base = _free_base()
    urls = {name: f"http://127.0.0.1:{port}" for name, port in ports_from(base).items()}
    lines = ["defaults:"]
    lines += [
        f"  {kind}: {{plugin: http, base_url: '{urls[sim]}'}}" for sim, kind in KIND_OF.items()
    ]
    (work / "adapters.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    db_url = f"sqlite:///{work / 'motcua.db'}"
    migrate(db_url)
    environ = {
        **os.environ,
        "MOTCUA_ENVIRONMENT": "development",
        "MOTCUA_ENCRYPTION_KEYS": keys,
        "MOTCUA_TEMPORAL_ADDRESS": address,
        "MOTCUA_TASK_QUEUE": task_queue,
        "MOTCUA_AGENCY_QUEUE_PREFIX": f"{task_queue}.agency.",
        "MOTCUA_ADAPTERS_FILE": str(work / "adapters.yaml"),
        "MOTCUA_DATABASE_URL": db_url,
        "MOTCUA_EVIDENCE_PEPPER": DEV_EVIDENCE_PEPPER,
        "MOTCUA_METRICS_PORT": "0",
        "MOTCUA_LOG_LEVEL": "WARNING",
    }
    log = (work / "processes.log").open("ab")
    sims = [sys.executable, "-m", "motcua.cli", "sim", "all", "--base-port", str(base)]
    started = [
        subprocess.Popen(sims, cwd=ROOT, env=environ, stdout=log, stderr=log),
        subprocess.Popen(
            [sys.executable, "worker.py"], cwd=ROOT, env=environ, stdout=log, stderr=log
        ),
    ]
    try:
        yield db_url
    finally:
        for process in started:
            process.terminate()
        for process in started:
            process.wait(timeout=30)
        log.close()


async def _worker_ready(client: Client, task_queue: str) -> None:
    request = DescribeTaskQueueRequest(
        namespace=client.namespace, task_queue=TaskQueue(name=task_queue)
    )
    while not (await client.workflow_service.describe_task_queue(request)).pollers:
        await asyncio.sleep(0.5)


async def one_run(
    client: Client, address: str, keys: str, speed: float, args: argparse.Namespace
) -> tuple[DemoReport, float]:
    catalog = load_catalog(ROOT / "procedure_defs")
    task_queue = f"demo-clock-{uuid.uuid4().hex[:8]}"
    with (
        tempfile.TemporaryDirectory() as tmp,
        _processes(address, keys, Path(tmp), task_queue) as db_url,
    ):
        await _worker_ready(client, task_queue)
        await asyncio.sleep(2)  # the simulators start alongside; give them a moment
        config = DemoConfig(
            dossiers=args.dossiers, time_scale=speed, seed=args.seed, max_seconds=args.max_seconds,
            office=short_office(), adapt_clock=args.adapt,
            start=monday_morning(default_calendar(), datetime.now(UTC)),
        )  # fmt: skip
        engine = make_engine(db_url)
        began = time.monotonic()
        report = await run_demo(
            client, catalog, session_factory(engine, read_only=True), task_queue=task_queue,
            config=config, console=Console(quiet=True),
            options=RunOptions(agency_queue_prefix=f"{task_queue}.agency."),
        )  # fmt: skip
        engine.dispose()
        return report, time.monotonic() - began


async def main(args: argparse.Namespace) -> None:
    keys = new_key().line()
    env = await start_dev_environment(parse_keys(keys, origin="benchmark"))
    async with env:
        address = env.client.service_client.config.target_host
        rates: list[float] = []
        judged: list[str] = []  # on time / judged, per run
        opened: list[str] = []  # the speed each run's office opened at
        for speed in args.speeds:
            report, seconds = await one_run(env.client, address, keys, speed, args)
            on_time = report.kpis.overall.get("on_time")
            rate = on_time.rate or 0.0
            rates.append(rate)
            judged.append(f"{on_time.numerator}/{on_time.denominator}")
            opened.append(f"{report.clock.first_scale:.0f}")
            c = report.clock
            print(
                f"speed {speed:>6.0f}: on time {on_time.numerator}/{on_time.denominator} "
                f"({rate:.1%}), finished {report['finished']}, "
                f"in progress {report['in_progress']}, "
                f"lag p50 {c.lag_p50 or 0:.3f} s p90 {c.lag_p90 or 0:.3f} s, "
                f"{_opening(c)}, last speed {c.last_scale:.0f}, "
                f"{c.calendar_hours:.1f} calendar h in {seconds:.0f} s",
                flush=True,
            )
    spread = (max(rates) - min(rates)) * 100
    speeds = ",".join(f"{s:.0f}" for s in args.speeds)
    shown = ",".join(f"{r:.3f}" for r in rates)
    print(
        f"RESULT speeds={speeds} dossiers={args.dossiers} "
        f"opened={','.join(opened)} on_time={shown} judged={','.join(judged)} "
        f"spread_points={spread:.1f}"
    )


def _opening(clock: ClockFacts) -> str:
    """The speed the office opened at, and the probes' lag it came from (with ``--adapt``)."""
    if clock.calibration_p90 is None:
        return f"opened at {clock.first_scale:.0f}"
    return f"probe lag p90 {clock.calibration_p90:.3f} s: opened at {clock.first_scale:.0f}"


if __name__ == "__main__":
    asyncio.run(main(parse_args()))
