"""What the demo prints at the end: the dossier counts, the Decision 766 on-time rate per agency,
the top bottleneck steps, where the time went, how the clock ran, and where to look next. Every
figure comes from the event log through ``motcua.analysis``, as ``motcua kpis`` and ``motcua
bottlenecks`` compute it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from rich.console import Console
from rich.table import Table
from sqlalchemy.orm import Session, sessionmaker

from motcua.analysis import (
    BottleneckReport,
    KpiReport,
    StepStats,
    bottlenecks,
    compute_kpis,
    load_log,
)
from motcua.calendar import WorkCalendar
from motcua.definitions import Catalog
from motcua.settings import Settings
from motcua.store import iter_events, summary

COMMANDS = {
    "bottlenecks": "motcua bottlenecks --by-agency   (waiting vs working per step, what-if)",
    "KPIs": "motcua kpis",
}


def where_to_look(settings: Settings, report: DemoReport) -> dict[str, str]:
    """The console, the Temporal UI (the dev server's, by the Temporal CLI's port + 1000
    convention), then the report's analysis commands."""
    host, _, port = settings.temporal_address.rpartition(":")
    return {
        "console": f"http://{settings.api_host}:{settings.api_port}/",
        "Temporal UI": f"http://{host or '127.0.0.1'}:{int(port) + 1000}",
        **report.links,
    }


@dataclass(frozen=True)
class ClockFacts:
    """How the demo clock ran: its first and last scale, and the task lag it measured."""

    first_scale: float  # the speed the office opened at, after calibration
    calendar_hours: float  # how much calendar time the run covered
    last_scale: float
    slowdowns: int
    lag_p50: float | None  # real seconds
    lag_p90: float | None
    lag_samples: int
    start_late_p90: float | None  # real seconds an officer started after the model's instant
    left_out: int = 0  # dossiers filed before the last slowdown, not in the figures
    # Each slowdown: its calendar instant (local) and the task lags (real seconds) behind it.
    slowdown_causes: tuple[tuple[datetime, tuple[float, ...]], ...] = ()
    asked_scale: float | None = None  # the speed asked for (--time-scale)
    calibration_p90: float | None = None  # the probes' p90 task lag (real seconds), if probed


@dataclass(frozen=True)
class DemoReport:
    figures: dict[str, Any]  # the read model's headline counts (``motcua.store.summary``)
    kpis: KpiReport
    bottlenecks: BottleneckReport | None
    clock: ClockFacts
    since: datetime
    links: dict[str, str] = field(default_factory=lambda: dict(COMMANDS))
    longest_deadline_days: float | None = None  # working days, of the procedures received

    def __getitem__(self, key: str) -> Any:
        """The headline count ``key``, as the demo's summary returned it before."""
        return self.figures[key]

    def top_steps(self, n: int = 3) -> list[StepStats]:
        """The ``n`` steps with the largest share of their procedure's lead time."""
        steps = self.bottlenecks.steps if self.bottlenecks else ()
        return sorted(steps, key=lambda s: s.share, reverse=True)[:n]

    def time_split(self) -> dict[str, float]:
        """Shares of lead time, averaged over procedures weighted by their dossiers: waiting
        for an officer, an officer working, and the rest (citizens paying or supplementing,
        automatic steps)."""
        if self.bottlenecks is None:
            return {}
        weights = {p.procedure: p.completed + p.open for p in self.bottlenecks.procedures}
        total = sum(weights.values())
        if not total:
            return {}
        waiting = sum(s.waiting_share * weights.get(s.procedure, 0) for s in self.bottlenecks.steps)
        working = sum(s.working_share * weights.get(s.procedure, 0) for s in self.bottlenecks.steps)
        waiting, working = waiting / total, working / total
        return {"waiting": waiting, "working": working, "other": max(0.0, 1 - waiting - working)}


def build_report(
    sessions: sessionmaker[Session],
    catalog: Catalog,
    calendar: WorkCalendar,
    *,
    since: datetime,
    now: datetime,
    clock: ClockFacts,
) -> DemoReport:
    """The report of the dossiers submitted since ``since``; open work is judged at ``now``
    (the demo clock's calendar instant)."""
    with sessions() as session:
        figures = summary(session, received_from=since)
        events = list(iter_events(session, since=since))
        log = load_log(session, since=since)
    kpis = compute_kpis(events, catalog)
    codes = {e.procedure_code for e in events if e.procedure_code in catalog}
    spans = [catalog.latest(code).deadline.hours / 8 for code in codes]
    links = {**COMMANDS, "KPIs": f"motcua kpis --from {since.isoformat(timespec='seconds')}"}
    report = None
    if len(log):
        last = datetime.fromtimestamp(float(log.at.max()), UTC)
        report = bottlenecks(log, calendar=calendar, now=max(now, last))
    return DemoReport(
        figures=figures, kpis=kpis, bottlenecks=report, clock=clock, since=since, links=links,
        longest_deadline_days=max(spans, default=None),
    )  # fmt: skip


def print_summary(console: Console, report: DemoReport) -> None:
    """Print the demo's summary: counts, KPIs, bottlenecks, the clock and where to look next."""
    _counts(console, report.figures)
    table = Table(title="On-time rate per agency (Decision 766)", title_justify="left")
    for column in ("agency", "on time", "judged", "rate"):
        table.add_column(column, justify="left" if column == "agency" else "right")
    for kpis in report.kpis.agencies:
        on_time = kpis.get("on_time")
        rate = "-" if on_time.rate is None else f"{on_time.rate:.0%}"
        table.add_row(kpis.agency, str(on_time.numerator), str(on_time.denominator), rate)
    console.print(table)
    for rank, step in enumerate(report.top_steps(), start=1):
        console.print(
            f"Bottleneck {rank}: {step.procedure} / {step.step} — {step.share:.0%} of lead "
            f"time ({step.waiting_share:.0%} waiting for an officer), SLA breaches "
            f"{step.sla_breaches}/{step.with_sla}"
        )
    if split := report.time_split():
        console.print(
            f"Where the time went: waiting for an officer {split['waiting']:.0%}, officers "
            f"working {split['working']:.0%}, between officer tasks (citizens paying or "
            f"supplementing, automatic steps) {split['other']:.0%}"
        )
    _clock(console, report.clock)
    _coverage(console, report)
    console.print("Where to look next:")
    for what, where in report.links.items():
        console.print(f"  {what:<14}{where}")


def _counts(console: Console, figures: dict[str, Any]) -> None:
    table = Table(title="Dossiers", show_header=False, title_justify="left")
    table.add_column("what")
    table.add_column("count", justify="right")
    finished = figures["finished"] or 0
    rows = [
        ("received", figures["received"]),
        ("finished", finished),
        ("  early", figures["early"]),
        ("  on time", figures["on_time"]),
        ("  late", figures["late"]),
        ("refused at receipt or verification", figures["refused"]),
        ("rejected after review", figures["rejected"]),
        ("withdrawn", figures["withdrawn"]),
        ("lapsed (no payment or supplement)", figures["lapsed"]),
        ("in progress", figures["in_progress"]),
        ("online share", f"{figures['online_share']:.0%}"),
    ]
    for what, count in rows:
        table.add_row(what, str(count))
    console.print(table)
    if finished:
        on_time = (figures["early"] + figures["on_time"]) / finished
        console.print(f"On-time rate among finished dossiers: [bold]{on_time:.1%}[/bold]")


def _clock(console: Console, facts: ClockFacts) -> None:
    line = (
        f"Demo clock: {facts.calendar_hours / 24:.1f} calendar days, "
        f"at first {facts.first_scale:,.0f} times real time"
    )
    if facts.calibration_p90 is not None:
        line += (
            f" (asked {facts.asked_scale or facts.first_scale:,.0f}; probes before the first "
            f"arrival measured a task lag p90 of {facts.calibration_p90:.2f} s)"
        )
    if facts.slowdowns:
        line += f", slowed {facts.slowdowns} time(s) to {facts.last_scale:,.0f}: tasks lagged"
    if facts.lag_p90 is not None:
        line += (
            f"; task lag p50 {facts.lag_p50:.2f} s, p90 {facts.lag_p90:.2f} s real "
            f"({facts.lag_p90 * facts.last_scale / 60:.0f} calendar minutes at the last speed)"
        )
    if facts.start_late_p90 is not None:
        line += f"; officers started p90 {facts.start_late_p90:.2f} s after the model's instant"
    console.print(line)
    for at, lags in facts.slowdown_causes:
        window = ", ".join(f"{lag:.2f}" for lag in lags)
        console.print(f"  slowed at {at:%a %H:%M} calendar time; the last task lags (s): {window}")
    if facts.left_out:
        console.print(
            f"{facts.left_out} dossier(s) filed before the last slowdown ran on a faster clock "
            "than the office's: left out of these figures."
        )


def _coverage(console: Console, report: DemoReport) -> None:
    """Say so when the run was too short for most dossiers to end: a reader must not take a
    count of 0 finished for an engine that finishes nothing."""
    received, open_ = report["received"], report["in_progress"]
    longest, facts = report.longest_deadline_days, report.clock
    if not received or open_ * 2 < received or longest is None:
        return
    console.print(
        f"{open_} of {received} dossiers are still in progress: this run covered "
        f"{facts.calendar_hours / 24:.1f} calendar days and their procedures' deadlines run to "
        f"{longest:g} working days. On this machine the clock ran at most "
        f"{facts.first_scale:,.0f} times real time (docs/demo.md); a longer run finishes more: "
        "`motcua demo --seconds 900` while this stack serves."
    )
