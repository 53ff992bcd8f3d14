"""``motcua procedures simulate`` and ``motcua procedures compare``: try a draft on the observed
log before putting it live, and show afterwards, with confidence, what the new version changed."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from motcua.cli._analysis import BOUND_HELP, _instant
from motcua.cli._common import catalog_or_exit, console, fail, read_sessions

if TYPE_CHECKING:
    from motcua.analysis import Comparison, Effect, Simulation
    from motcua.analysis._stats import Interval
    from motcua.definitions import Catalog, Procedure

# The analysis, the definitions and the worker are imported by the commands that use them, so
# registering these commands costs `motcua --help` nothing.

__all__ = ["add_reengineering_commands"]

JsonOption = Annotated[bool, typer.Option("--json", help="JSON instead of tables")]


def add_reengineering_commands(app: typer.Typer) -> None:
    """Register ``simulate`` and ``compare`` on the ``procedures`` command group."""
    app.command(name="simulate")(simulate_command)
    app.command(name="compare")(compare_command)


def _ci(interval: Interval, unit: str = "") -> str:
    if interval.value is None or interval.low is None or interval.high is None:
        return "—"
    if unit == "%":
        return f"{interval.value:.0%} ({interval.low:.0%} to {interval.high:.0%})"
    return f"{interval.value:.1f} ({interval.low:.1f} to {interval.high:.1f})"


def _ref(text: str, catalog: Catalog) -> Procedure:
    from motcua.definitions import BadReference, resolve_ref

    try:
        return resolve_ref(catalog, text)
    except BadReference as error:
        raise fail(str(error)) from None


def simulate_command(
    draft_path: Annotated[
        Path, typer.Argument(help="The draft definition (YAML)", metavar="DRAFT")
    ],
    against: Annotated[
        str | None,
        typer.Option(help="Replay the dossiers of CODE@V [default: the version before DRAFT's]"),
    ] = None,
    since_text: Annotated[
        str | None, typer.Option("--since", help=f"Only dossiers submitted since: {BOUND_HELP}")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Replay the dossiers observed under the version in force through DRAFT: projected lead
    time, on-time rate, officer hours, documents and visits, with 95% intervals."""
    from motcua.analysis import NoDossiers, check_draft, simulate_draft, version_before
    from motcua.definitions import DefinitionError
    from motcua.settings import get_settings
    from worker import worker_calendar

    settings = get_settings()
    catalog = catalog_or_exit(settings)
    if not draft_path.is_file():
        raise fail(f"no draft file {draft_path}: give the path of a procedure YAML")
    try:
        draft = check_draft(draft_path, catalog)
    except DefinitionError as error:
        for problem in error.problems:
            console.print(str(problem), markup=False, highlight=False)
        raise fail(f"the draft has {len(error.problems)} problem(s); fix them and retry") from None
    since = _instant(since_text, settings, "--since")
    try:
        observed = _ref(against, catalog) if against else version_before(catalog, draft)
        with read_sessions(settings)() as session:
            result = simulate_draft(
                session, draft, observed, calendar=worker_calendar(settings), since=since
            )
    except NoDossiers as error:
        raise fail(str(error)) from None
    if as_json:
        typer.echo(result.to_json())
        return
    _render_simulation(result)


def _render_simulation(s: Simulation) -> None:
    table = Table(
        title=f"{s.procedure}: draft version {s.draft_version} replayed on the "
        f"{s.dossiers} dossiers of version {s.against_version}"
    )
    for column in ("figure", "observed (95% CI)", "draft, projected (95% CI)"):
        table.add_column(column)
    rows = [
        ("lead time, median (working h)", "lead_median_hours", ""),
        ("lead time, p90 (working h)", "lead_p90_hours", ""),
        ("on time", "on_time_rate", "%"),
        ("officer hours per dossier", "officer_hours", ""),
        ("documents asked per dossier", "documents", ""),
        ("in-person visits per dossier", "visits", ""),
    ]
    for label, name, unit in rows:
        table.add_row(
            label, _ci(getattr(s.observed, name), unit), _ci(getattr(s.projected, name), unit)
        )
    console.print(table)
    for what, steps in (("removed", s.removed), ("made automatic", s.automated), ("new", s.new)):
        if steps:
            console.print(f"steps {what}: {', '.join(steps)}")
    for warning in s.warnings:
        console.print(f"[yellow]warning:[/yellow] {warning}")
    console.print(f"[dim]{s.percentile_method}. {s.timeliness}[/dim]")


def compare_command(
    a_ref: Annotated[str, typer.Argument(help="The version before, CODE@A", metavar="CODE@A")],
    b_ref: Annotated[str, typer.Argument(help="The version after, CODE@B", metavar="CODE@B")],
    start_text: Annotated[
        str | None, typer.Option("--from", help=f"Submitted from (inclusive): {BOUND_HELP}")
    ] = None,
    end_text: Annotated[
        str | None, typer.Option("--to", help=f"Submitted before (exclusive): {BOUND_HELP}")
    ] = None,
    as_json: JsonOption = False,
    chart: Annotated[Path | None, typer.Option(help="Also write an SVG chart to this file")] = None,
) -> None:
    """Before and after on real dossiers: lead time, each step's waiting and working, on-time,
    supplement and refusal rates, with 95% intervals, Cliff's delta and a rank test."""
    from motcua.analysis import NoDossiers, compare_svg, compare_versions
    from motcua.settings import get_settings
    from worker import worker_calendar

    settings = get_settings()
    catalog = catalog_or_exit(settings)
    a, b = _ref(a_ref, catalog), _ref(b_ref, catalog)
    if a.code != b.code or a.version == b.version:
        raise fail(f"compare two versions of one procedure, e.g. {a.code}@1 {a.code}@2")
    start = _instant(start_text, settings, "--from")
    end = _instant(end_text, settings, "--to")
    if start is not None and end is not None and end <= start:
        raise fail("--to must be after --from")
    try:
        with read_sessions(settings)() as session:
            result = compare_versions(
                session, a, b, calendar=worker_calendar(settings), start=start, end=end
            )
    except NoDossiers as error:
        raise fail(str(error)) from None
    if chart is not None:
        chart.parent.mkdir(parents=True, exist_ok=True)
        chart.write_text(compare_svg(result), encoding="utf-8")
    if as_json:
        typer.echo(result.to_json())
        return
    _render_comparison(result)
    if chart is not None:
        console.print(f"chart: {chart}")


def _effect_row(label: str, e: Effect, unit: str = "") -> tuple[str, ...]:
    delta = "—" if e.cliffs_delta is None else f"{e.cliffs_delta:+.2f}"
    p = "—" if e.p_value is None else f"{e.p_value:.3g}"
    return (label, _ci(e.a, unit), _ci(e.b, unit), _ci(e.difference, unit), delta, p, e.verdict)


def _render_comparison(c: Comparison) -> None:
    table = Table(
        title=f"{c.procedure}: version {c.version_a} ({c.dossiers_a} dossiers) against "
        f"version {c.version_b} ({c.dossiers_b})"
    )
    for column in ("figure", f"v{c.version_a}", f"v{c.version_b}", "B - A", "Cliff's δ", "p", ""):
        table.add_column(column)
    labels = {
        "lead_hours": ("lead time, median (working h)", ""),
        "on_time_rate": ("on time", "%"),
        "supplement_rate": ("asked for a supplement", "%"),
        "refusal_rate": ("refused or rejected", "%"),
    }
    for e in c.figures:
        table.add_row(*_effect_row(labels[e.figure][0], e, labels[e.figure][1]))
    for step in c.steps:
        table.add_row(*_effect_row(f"{step.step}: waiting (h)", step.waiting))
        table.add_row(*_effect_row(f"{step.step}: working (h)", step.working))
    console.print(table)
    s = c.straddling
    console.print(
        f"version {c.version_b} in force from {c.b_in_force or '—'}; {s.dossiers} dossier(s) of "
        f"version {c.version_a} were still open then and are left out above "
        f"({s.completed} completed since"
        + (f", median lead {s.lead_median_hours:.1f} h)" if s.lead_median_hours else ")")
    )
    for warning in c.warnings:
        console.print(f"[yellow]warning:[/yellow] {warning}")
    console.print(
        f"[dim]Medians and shares with {c.confidence:.0%} bootstrap intervals; a difference "
        f"is claimed when its interval excludes 0 and the Mann-Whitney p < {c.significance}. "
        f"{c.timeliness}[/dim]"
    )
