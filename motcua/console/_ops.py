"""The operations page, ``/ops``, for operators only (``MOTCUA_OPERATOR_ROLE``): the Decision 766
scorecard of an agency (or of all) for a month, quarter or year — the same figures as
``motcua kpis`` — the open and overdue dossiers by step, the bottleneck chart, and links to the
Temporal UI and Grafana (docs/operations.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from motcua.analysis import StepStats, agency_zone
from motcua.analysis._period import local_midnight
from motcua.api._context import ApiContext
from motcua.console import _links
from motcua.console._charts import bottleneck_chart
from motcua.console._figures import figures, scorecard
from motcua.console._i18n import language_of, translate
from motcua.console._periods import Period, PeriodUnknown, parse_period, recent_periods
from motcua.console._render import render
from motcua.console._session import require_officer
from motcua.store import open_tasks_by_step

router = APIRouter()


@dataclass(frozen=True)
class OpenAtStep:
    """Dossiers waiting at one step now (its open or claimed tasks), and those past its SLA."""

    procedure: str
    step: str
    agency: str
    open: int
    overdue: int
    link: str


@router.get("/ops", response_class=HTMLResponse)
async def ops_page(
    request: Request, agency: str | None = None, period: str | None = None
) -> HTMLResponse:
    officer = require_officer(request)
    context: ApiContext = request.app.state.context
    settings = context.settings
    if settings.operator_role not in officer.roles:
        return render(request, "error.html", 403, message_key="ops.refused")
    zone = agency_zone(settings.agency_timezone)
    offered = recent_periods(datetime.now(zone).date())
    try:
        chosen = parse_period(period) if period else offered[0]
    except PeriodUnknown:
        return render(request, "error.html", 422, message_key="ops.bad_period")
    agency = agency or None
    if agency is not None and agency not in context.catalog.agencies():
        return render(request, "error.html", 422, message_key="ops.bad_agency")
    page = await run_in_threadpool(_figures, context, agency, chosen)
    if chosen not in offered:
        offered.insert(0, chosen)
    _ = partial(translate, language_of(request))
    steps = page["steps"]
    return render(
        request,
        "ops/index.html",
        agencies=context.catalog.agencies(),
        agency=agency,
        periods=offered,
        period=chosen,
        temporal=_links.running_workflows(settings, agency=agency),
        temporal_overdue=_links.running_workflows(
            settings, agency=agency, due_before=datetime.now(UTC)
        ),
        grafana=_links.grafana(settings, agency=agency),
        chart=bottleneck_chart(steps, _, label=_step_label) if steps else None,
        **page,
    )


def _figures(context: ApiContext, agency: str | None, period: Period) -> dict[str, Any]:
    settings, catalog, reads = context.settings, context.catalog, context.reads
    zone = agency_zone(settings.agency_timezone)
    start, end = local_midnight(period.first, zone), local_midnight(period.end, zone)
    with reads() as session:
        waiting = [
            OpenAtStep(
                procedure or "",
                step or "",
                task_agency,
                count,
                overdue or 0,
                _links.running_workflows(settings, agency=task_agency, procedure=procedure),
            )
            for procedure, step, task_agency, count, overdue in open_tasks_by_step(
                session, datetime.now(UTC)
            )
            if agency is None or task_agency == agency
        ]
    card = scorecard(settings, catalog, reads, agency=agency, start=start, end=end)
    found = figures(settings, catalog, reads, since=start)
    steps: list[StepStats] = [
        s for s in (found.report.by_agency if agency else found.report.steps)
        if agency is None or s.agency == agency
    ]  # fmt: skip
    return {
        "scorecards": card.cards,
        "disagreements": card.disagreements,
        "waiting": sorted(waiting, key=lambda w: (-w.overdue, -w.open, w.procedure, w.step)),
        "steps": steps,
        "since": start,
        "as_of": datetime.fromisoformat(found.report.as_of) if found.report.as_of else None,
    }


def _step_label(step: StepStats) -> str:
    return f"{step.procedure} · {step.step}"
