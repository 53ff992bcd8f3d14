"""The bottleneck report, cut candidates and what-if projections as terminal tables."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.table import Table

from motcua.analysis._bottlenecks import BottleneckReport, by_share
from motcua.analysis._candidates import CutCandidate
from motcua.analysis._percentile import Quantiles
from motcua.analysis._whatif import WhatIf


def _q(q: Quantiles) -> str:
    if q.median is None:
        return "-"
    return f"{q.median:.1f} / {q.p90:.1f}" if q.p90 is not None else f"{q.median:.1f}"


def render_report(
    console: Console,
    report: BottleneckReport,
    candidates: Sequence[CutCandidate] = (),
    projections: Sequence[WhatIf] = (),
) -> None:
    """Print the lead times, the step table (largest share first), candidates, what-ifs and
    the footnotes that say how the figures are computed."""
    leads = Table(
        title="Lead time per procedure (working hours, supplement waits excluded; open dossiers "
        "so far*)"
    )
    for column in (
        "procedure", "dossiers", "completed", "open*", "median / p90", "deadline", "late",
        "on time",
    ):  # fmt: skip
        leads.add_column(column, justify="left" if column == "procedure" else "right")
    for p in report.procedures:
        on_time = f"{p.on_time_rate:.0%}" if p.on_time_rate is not None else "-"
        deadline = f"{p.deadline_hours:.0f}" if p.deadline_hours is not None else "-"
        leads.add_row(
            p.procedure, str(p.dossiers), str(p.completed), str(p.open), _q(p.lead_hours),
            deadline, str(p.late), on_time,
        )  # fmt: skip
    console.print(leads)

    steps = Table(
        title="Steps: waiting (until claimed) and working (claimed until decided; open tasks so "
        "far*)"
    )
    for column in (
        "procedure", "step", "tasks", "open*", "waiting h median / p90", "working h median / p90",
        "share of lead", "SLA breaches", "supplement loops",
    ):  # fmt: skip
        steps.add_column(column, justify="left" if column in ("procedure", "step") else "right")
    for s in by_share(report.steps):
        breaches = f"{s.breach_rate:.0%} of {s.with_sla}" if s.with_sla else "-"
        steps.add_row(
            s.procedure, s.step, str(s.tasks), str(s.open), _q(s.waiting_hours),
            _q(s.working_hours),
            f"{s.share:.0%}", breaches, f"{s.loops_per_dossier:.2f}",
        )  # fmt: skip
    console.print(steps)

    if report.by_officer:
        console.print(_officers(report))

    if candidates:
        cuts = Table(title="Cut candidates")
        for column in ("kind", "procedure", "subject", "why"):
            cuts.add_column(column)
        for c in candidates:
            cuts.add_row(c.kind, c.procedure, c.subject, c.reason)
        console.print(cuts)
    else:
        console.print("No cut candidates on this log.")

    if projections:
        table = Table(title="What-if (the observed dossiers replayed with the change)")
        for column in ("procedure", "change", "lead median h", "lead p90 h", "on time"):
            table.add_column(
                column, justify="left" if column in ("procedure", "change") else "right"
            )
        for w in projections:
            change = f"{w.scenario.action} {w.scenario.step}"
            if w.scenario.action == "staff":
                change += f" +{w.scenario.officers}"
            table.add_row(
                w.procedure,
                change,
                f"{w.baseline.median_hours:.1f} → {w.projected.median_hours:.1f}",
                f"{w.baseline.p90_hours:.1f} → {w.projected.p90_hours:.1f}",
                f"{w.baseline.on_time_rate:.0%} → {w.projected.on_time_rate:.0%}",
            )
        console.print(table)
    if report.flag_disagreements:
        console.print(
            "Recorded timeliness disagrees with the events (the computed one is used): "
            + ", ".join(report.flag_disagreements)
        )
    console.print(f"[dim]As of {report.as_of}.[/dim]")
    for note in report.notes:
        console.print(f"[dim]{'* ' if 'so far' in note else ''}{note}[/dim]")


def _officers(report: BottleneckReport) -> Table:
    table = Table(title="Per officer (open tasks without a claim: (unclaimed))")
    for column in ("procedure", "step", "agency", "officer", "tasks", "open*",
                   "waiting h median / p90", "SLA breaches"):  # fmt: skip
        table.add_column(column)
    for s in report.by_officer:
        breaches = f"{s.sla_breaches} of {s.with_sla}" if s.with_sla else "-"
        table.add_row(s.procedure, s.step, s.agency or "-", s.officer or "-", str(s.tasks),
                      str(s.open), _q(s.waiting_hours), breaches)  # fmt: skip
    return table
