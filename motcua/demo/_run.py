"""The demo run: citizens of the population simulator file across the sample procedures as the
office file's arrival profile says, a modelled one-stop office works the dossiers, and the
virtual clock slows down whenever the machine, not the office, would decide the timings.

Officers and citizens act only through the engine's commands (updates and signals), exactly as
the API does; they learn what to do from the read model, like an officer's inbox.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, time

from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from sqlalchemy.orm import Session, sessionmaker
from temporalio.client import Client

from motcua.calendar import WorkCalendar, default_calendar
from motcua.definitions import Catalog
from motcua.demo._applicants import Applicants
from motcua.demo._arrivals import Arrival, arrivals
from motcua.demo._calibrate import calibrate
from motcua.demo._citizens import Citizens
from motcua.demo._clock import DemoClock, LagGovernor, utc_now
from motcua.demo._desk import Desk
from motcua.demo._office import Office
from motcua.demo._office_file import OfficeFile, check_pools, load_office
from motcua.demo._schedule import Draws, Scheduler
from motcua.demo._summary import ClockFacts, DemoReport, build_report
from motcua.dossier import RunOptions, SubmittedDocument
from motcua.engine import Submission, resolve, submit
from motcua.store import summary

POLL_SECONDS = 0.1  # at 6,000x a poll interval is ten calendar minutes


@dataclass
class DemoConfig:
    dossiers: int = 200
    time_scale: float = 6_000.0  # a working day passes in about 5 s, if the machine keeps up
    seed: int = 7
    max_seconds: float = 150.0
    payment_url: str | None = None  # the payment simulator citizens pay at; else a bare signal
    platform_calls_back: bool = False  # the platform confirms to the API's signed callback
    office: OfficeFile = field(default_factory=load_office)
    adapt_clock: bool = True  # slow the clock when tasks lag (LagGovernor)
    probe_rounds: int = 3  # calibration before the first arrival (0: none); the first warms up
    citizens_seed: int = 0  # the population simulator's seed (motcua sim / up serve 0)
    start: datetime | None = None  # first virtual instant; the next working day's opening


def first_morning(calendar: WorkCalendar, now: datetime) -> datetime:
    """The opening of the working day after ``now``'s local day: two runs on one day start at
    the same virtual instant, so the same seed gives the same arrivals."""
    local = now.astimezone(calendar.tz)
    night = datetime.combine(local.date(), time(23, 59), tzinfo=calendar.tz)
    return calendar.clock_start(night)


async def run_demo(
    client: Client,
    catalog: Catalog,
    sessions: sessionmaker[Session],
    *,
    task_queue: str,
    config: DemoConfig,
    console: Console,
    calendar: WorkCalendar | None = None,
    options: RunOptions | None = None,
) -> DemoReport:
    """Submit ``config.dossiers`` dossiers, let the office work them until every one has ended
    or ``config.max_seconds`` have passed, and return the report."""
    calendar = calendar or default_calendar()
    check_pools(config.office, catalog.registry)
    began = utc_now()
    run_id = f"demo-{began:%Y%m%d%H%M%S%f}"
    start = config.start or first_morning(calendar, began)
    clock = DemoClock.starting(start, config.time_scale, real=began)
    governor = LagGovernor(clock, adaptive=config.adapt_clock)
    scheduler, draws = Scheduler(clock), Draws(config.seed, run_id)
    office = Office(config.office, calendar)
    desk = Desk(client, catalog, sessions, config.office, office, governor, scheduler, draws)
    citizens = Citizens(
        client, sessions, config.office.citizens, scheduler, draws, desk,
        payment_url=config.payment_url, platform_calls_back=config.platform_calls_back,
    )  # fmt: skip
    filer = _Filer(client, catalog, task_queue, config, desk, options or RunOptions(), run_id)
    calibration = None
    if config.adapt_clock and config.probe_rounds > 1:
        calibration = await calibrate(client, sessions, filer.probe, rounds=config.probe_rounds)
    # The office opens now, at the speed the probes allow: the figures begin here.
    began = utc_now()
    governor.calibrated(calibration.p90 if calibration else None, real=began)
    first_scale = clock.scale
    due = arrivals(config.office.arrivals, calendar, start, random.Random(config.seed))
    upcoming: Arrival | None = next(due)
    loop = asyncio.get_running_loop()
    end_at = loop.time() + config.max_seconds
    with _progress(console) as progress:
        bar = progress.add_task("dossiers", total=config.dossiers)
        while loop.time() < end_at:
            while upcoming is not None and upcoming.at <= clock.now():
                await filer.file(upcoming, clock)
                upcoming = next(due) if filer.filed < config.dossiers else None
            desk.look_at_inbox()
            citizens.look_at_dossiers()
            # Dossiers filed before the last slowdown kept a faster clock than the office's
            # (see _clock.py): only those filed at the final speed are counted, and waited for.
            counted_since = clock.real0 if clock.history else began
            with sessions() as session:
                figures = summary(session, received_from=counted_since)
            ended = figures["received"] - figures["in_progress"]
            progress.update(bar, total=max(figures["received"], config.dossiers), completed=ended)
            if upcoming is None and figures["received"] and ended >= figures["received"]:
                break
            await asyncio.sleep(POLL_SECONDS)
    scheduler.cancel()
    counted_since = clock.real0 if clock.history else began
    facts = ClockFacts(
        asked_scale=config.time_scale,
        calibration_p90=calibration.p90 if calibration else None,
        first_scale=first_scale,
        calendar_hours=(clock.now() - start).total_seconds() / 3600,
        last_scale=clock.scale,
        slowdowns=len(clock.history),
        lag_p50=governor.quantile(0.5),
        lag_p90=governor.quantile(0.9),
        lag_samples=len(governor.samples),
        start_late_p90=governor.quantile(0.9, of=governor.late),
        left_out=sum(1 for sent in filer.sent_at if sent < counted_since),
        slowdown_causes=tuple(
            (at.astimezone(calendar.tz), tuple(lags)) for at, lags in governor.causes
        ),
    )
    return build_report(
        sessions, catalog, calendar, since=counted_since, now=clock.now(), clock=facts
    )


@dataclass
class _Filer:
    """Files each arrival for the next citizen of the population simulator."""

    client: Client
    catalog: Catalog
    task_queue: str
    config: DemoConfig
    desk: Desk
    options: RunOptions
    run_id: str
    filed: int = 0
    sent_at: list[datetime] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.people = Applicants(self.config.citizens_seed, self.config.dossiers)
        self.rng = random.Random(f"{self.config.seed}:filings")
        mix = self.config.office.mix
        self.codes, self.weights = list(mix), list(mix.values())

    async def file(self, arrival: Arrival, clock: DemoClock) -> None:
        rng, index = self.rng, self.filed
        code = rng.choices(self.codes, self.weights)[0]
        form = {"parents_married": rng.random() < 0.8, "members_count": rng.randint(1, 4)}
        submission = await self._submission(code, arrival.channel, index, form, f"{index:05d}")
        self.filed += 1
        sent, options = utc_now(), clock.run_options(self.options)
        self.sent_at.append(sent)
        receipt = await submit(
            self.client, self.catalog, submission, task_queue=self.task_queue, options=options
        )
        self.desk.triggers[receipt.workflow_id] = sent
        self.desk.scheduler.filed(receipt.workflow_id, options)

    async def probe(self, n: int) -> tuple[str, datetime]:
        """File calibration probe ``n`` on real time (``_calibrate.py``): a dossier of the
        mix's most common procedure (not a bundle: its tasks are its members'), drawing
        nothing from the run's seeded draws."""
        singles = [c for c in self.codes if resolve(self.catalog, c).bundle is None]
        code = max(singles, key=lambda c: self.config.office.mix[c])
        form = {"parents_married": True, "members_count": 1}
        submission = await self._submission(code, "online", n, form, f"probe-{n:02d}")
        options = self.options.model_copy(update={"time_scale": 1.0, "clock_epoch": None})
        sent = utc_now()
        receipt = await submit(
            self.client, self.catalog, submission, task_queue=self.task_queue, options=options
        )
        return receipt.workflow_id, sent

    async def _submission(
        self, code: str, channel: str, index: int, form: Mapping[str, object], key: str
    ) -> Submission:
        applicant = await asyncio.to_thread(self.people.__getitem__, index)
        target = resolve(self.catalog, code)
        return Submission(
            procedure=code,
            # A bundle is offered online only: file through a channel it offers.
            channel=channel if channel in target.channels else target.channels[0],
            applicant=applicant,
            form=dict(form),
            # The citizen brings every document of theirs the procedure lists.
            documents=[SubmittedDocument(id=d) for d in target.citizen_documents],
            submission_id=f"{self.run_id}-{key}",
        )


def _progress(console: Console) -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("[bold]demo"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total} dossiers finished"),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )
