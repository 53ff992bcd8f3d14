"""``motcua kpis``, ``motcua bottlenecks`` and ``motcua export``: the event log, analysed for
operations staff and procedure designers, or handed to process-mining tools."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from motcua.cli._common import catalog_or_exit, console, fail, read_sessions
from motcua.log_formats import ExportFormat

if TYPE_CHECKING:
    from motcua.analysis import BottleneckReport, CutCandidate, EventLog, WhatIf
    from motcua.calendar import WorkCalendar
    from motcua.settings import Settings

# The analysis (pandas, pm4py), the store and the worker are imported by the commands that use
# them: `motcua --help` and the offline commands must not pay for them.

BOUND_HELP = (
    "a local calendar day YYYY-MM-DD (midnight in MOTCUA_AGENCY_TIMEZONE) or an ISO 8601 "
    "instant with its offset"
)


def _instant(text: str | None, settings: Settings, option: str) -> datetime | None:
    """A period bound read in the agency's zone; a usage error (exit 2) when unreadable."""
    from motcua.analysis import PeriodError, agency_zone, parse_bound

    if text is None:
        return None
    try:
        return parse_bound(text, agency_zone(settings.agency_timezone))
    except PeriodError as exc:
        raise typer.BadParameter(str(exc), param_hint=option) from None


def kpis_command(
    agency: Annotated[str | None, typer.Option(help="Only this agency (registry id)")] = None,
    start_text: Annotated[
        str | None, typer.Option("--from", help=f"Period start (inclusive): {BOUND_HELP}")
    ] = None,
    end_text: Annotated[
        str | None, typer.Option("--to", help=f"Period end (exclusive): {BOUND_HELP}")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of tables")] = False,
) -> None:
    """Decision 766/QĐ-TTg KPIs per agency for a period, from the event log."""
    from motcua.analysis import agency_zone, compute_kpis
    from motcua.settings import get_settings
    from motcua.store import iter_events

    settings = get_settings()
    catalog = catalog_or_exit(settings)
    start = _instant(start_text, settings, "--from")
    end = _instant(end_text, settings, "--to")
    if start is not None and end is not None and end <= start:
        console.print("[red]error:[/red] --to must be after --from")
        raise typer.Exit(2)
    with read_sessions(settings)() as session:
        events = list(iter_events(session, agency=agency, until=end))
    zone = agency_zone(settings.agency_timezone)
    report = compute_kpis(events, catalog, agency=agency, start=start, end=end, zone=zone)
    if as_json:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    elif not events:
        console.print("No dossiers in the read model for this selection.")
    else:
        report.render(console)


def bottlenecks_command(
    procedure: Annotated[str | None, typer.Option(help="Only this procedure code")] = None,
    since_text: Annotated[
        str | None, typer.Option("--since", help=f"Only dossiers submitted since: {BOUND_HELP}")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of tables")] = False,
    chart: Annotated[
        Path | None,
        typer.Option(help="Where to write the SVG chart [default: var/bottlenecks.svg]"),
    ] = None,
    by_agency: Annotated[bool, typer.Option(help="Also break steps down by agency")] = False,
    by_officer: Annotated[bool, typer.Option(help="Also break steps down by officer")] = False,
    propose: Annotated[
        str | None,
        typer.Option(
            "--propose",
            metavar="CODE",
            help="Write a draft next version of procedure CODE that applies its cut candidates",
        ),
    ] = None,
    draft_out: Annotated[
        Path | None,
        typer.Option("--out", help="Where --propose writes the draft [default: var/drafts/…]"),
    ] = None,
) -> None:
    """Where dossiers lose time, which steps could be cut, and what cutting them would give."""
    from motcua.analysis import (
        bottleneck_svg,
        bottlenecks,
        cut_candidates,
        document_sources,
        load_log,
        render_report,
    )
    from motcua.cli._drafts import current_procedures, write_draft
    from motcua.settings import get_settings
    from worker import worker_calendar

    settings = get_settings()
    catalog = catalog_or_exit(settings)
    if propose is not None:
        codes = sorted({p.code for p in catalog.procedures()})
        if propose not in codes:
            raise fail(f"unknown procedure {propose} for --propose; known: {', '.join(codes)}")
        procedure = propose
    with read_sessions(settings)() as session:
        log = load_log(
            session, procedure=procedure, since=_instant(since_text, settings, "--since")
        )
    if len(log) == 0:
        console.print("No dossiers in the read model for this selection.")
        return
    calendar = worker_calendar(settings)
    # Open tasks wait until now; demo dossiers run on a fast clock whose calendar time is ahead
    # of the wall clock, so never measure before the log's last event.
    now = max(datetime.now(UTC), datetime.fromtimestamp(float(log.at.max()), UTC))
    report = bottlenecks(
        log, calendar=calendar, by_agency=by_agency, by_officer=by_officer, now=now
    )
    current = current_procedures(catalog)
    definitions = {code: current[code] for code in log.procedure_names if code in current}
    sources = document_sources(current.values())
    candidates = cut_candidates(report, log, definitions=definitions, sources=sources)
    projections = _projections(log, report, candidates, calendar, now)
    if propose is not None:
        write_draft(
            catalog, propose, report, candidates, projections, out=draft_out, as_json=as_json
        )
        return
    out = chart or settings.var_dir / "bottlenecks.svg"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(bottleneck_svg(report), encoding="utf-8")
    if as_json:
        payload = {
            "report": report.to_dict(),
            "cut_candidates": [c.to_dict() for c in candidates],
            "what_if": [w.to_dict() for w in projections],
            "chart": str(out),
        }
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    render_report(console, report, candidates, projections)
    console.print(f"chart: {out}")


def _projections(
    log: EventLog,
    report: BottleneckReport,
    candidates: Sequence[CutCandidate],
    calendar: WorkCalendar,
    now: datetime,
) -> list[WhatIf]:
    """What-ifs worth showing: removing each rubber-stamp step, and one more officer at each
    procedure's step with the largest share of waiting."""
    from motcua.analysis import Scenario, by_effect, fit, what_if

    scenarios: dict[str, list[Scenario]] = {}
    for c in candidates:
        if c.kind == "rubber_stamp":
            scenarios.setdefault(c.procedure, []).append(Scenario("remove", c.subject))
    for lead in report.procedures:
        steps = [s for s in report.steps if s.procedure == lead.procedure and s.decided]
        if steps:
            slowest = max(steps, key=lambda s: s.waiting_share)
            scenarios.setdefault(lead.procedure, []).append(Scenario("staff", slowest.step, 1))
    projections: list[WhatIf] = []
    for code, wanted in scenarios.items():
        try:
            model = fit(log, procedure=code, calendar=calendar, now=now)
            projections.extend(what_if(model, scenario) for scenario in wanted)
        except ValueError:
            continue  # too few completed dossiers of this procedure to fit on
    return by_effect(projections)


def export_command(
    out: Annotated[Path, typer.Argument(help="File to write, e.g. var/log.xes")],
    log_format: Annotated[
        ExportFormat, typer.Option("--format", help="xes (IEEE 1849) or ocel (OCEL 2.0 JSON)")
    ] = "xes",
    procedure: Annotated[str | None, typer.Option(help="Only this procedure code")] = None,
    since_text: Annotated[
        str | None, typer.Option("--since", help=f"Only dossiers submitted since: {BOUND_HELP}")
    ] = None,
) -> None:
    """Export the event log for process-mining tools (pm4py, ProM, Celonis)."""
    from motcua.analysis import export_log
    from motcua.settings import get_settings

    settings = get_settings()
    since = _instant(since_text, settings, "--since")
    with read_sessions(settings)() as session:
        written = export_log(session, out, log_format, procedure=procedure, since=since)
    console.print(f"{written} events written to {out} ({log_format})")


def api_command(
    metrics_port: Annotated[
        int,
        typer.Option(
            min=0,
            max=65535,
            help="Also serve Prometheus metrics on this port of MOTCUA_METRICS_HOST, without "
            "sign-in, for a scraper inside the deployment's network (0: none)",
        ),
    ] = 0,
) -> None:
    """Serve the HTTP API (portal, officers, agency events, KPIs, /metrics, /docs) on
    MOTCUA_API_HOST:MOTCUA_API_PORT."""
    import uvicorn
    from prometheus_client import start_http_server

    from motcua.api import build_context, create_app, require_sign_in
    from motcua.settings import MissingSecret, get_settings
    from motcua.store import migrate

    settings = get_settings()
    catalog_or_exit(settings)
    try:
        require_sign_in(settings)
        settings.callback_key(), settings.evidence_key()
    except MissingSecret as exc:
        raise fail(str(exc)) from None
    migrate(settings.database_url)
    app = create_app(build_context(settings))
    if metrics_port:
        # As the workers serve theirs: /metrics on the API's own port needs an operator's
        # token (MOTCUA_API_METRICS_ACCESS), which a Prometheus in the compose network lacks.
        try:
            start_http_server(metrics_port, addr=settings.metrics_host)
        except OSError as exc:
            raise fail(
                f"cannot serve metrics on {settings.metrics_host}:{metrics_port} ({exc.strerror}); "
                "choose another --metrics-port"
            ) from None
        console.print(f"Metrics on http://{settings.metrics_host}:{metrics_port}/metrics")
    console.print(f"API on http://{settings.api_host}:{settings.api_port}/docs")
    # uvicorn's access and error logs go through the redacting handler set up by `motcua`.
    uvicorn.run(
        app, host=settings.api_host, port=settings.api_port, log_config=None, log_level=None
    )
