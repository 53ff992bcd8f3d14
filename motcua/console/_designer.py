"""The designer's procedure pages: ``/designer`` lists the procedures, ``/designer/{code}`` draws
one as a diagram coloured by where its dossiers lose time, with the figures, the cut candidates
and the versions (docs/procedure-page.md).

Any signed-in officer may see them, operators included: the definition is public and the figures
are aggregates over all dossiers (no dossier, citizen or officer is named), and officers who work
a procedure are the first to know why a step is slow. Citizens and visitors are sent to sign in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from motcua.analysis import CutCandidate, StepStats
from motcua.console._charts import bottleneck_chart
from motcua.console._figures import Figures, figures
from motcua.console._i18n import language_of, translate
from motcua.console._procedure_map import procedure_svg, span_text, step_lines
from motcua.console._render import render
from motcua.console._session import require_officer
from motcua.definitions import Catalog, ConsultStep, HumanStep, Procedure

router = APIRouter()

# A step's colour: its share of the dossiers' lead time, at or above each bound.
HEAT_BOUNDS = (0.0, 0.10, 0.25, 0.50)


def heat_level(share: float) -> int:
    """1 (a small share of the lead time) to 4 (half of it or more); 0 is kept for no figures."""
    return sum(share >= bound for bound in HEAT_BOUNDS)


@dataclass(frozen=True)
class StepRow:
    """One row of the figures' table: a step of the definition and its figures, if any."""

    id: str
    lines: list[str]
    stats: StepStats | None
    heat: int
    worst: bool
    automatic: bool  # no officer works it: no figures ever, unlike a step no dossier reached yet


def _versions(catalog: Catalog, code: str) -> list[Procedure]:
    return sorted((p for p in catalog.procedures() if p.code == code), key=lambda p: -p.version)


@router.get("/designer", response_class=HTMLResponse)
async def designer_index(request: Request) -> HTMLResponse:
    require_officer(request)
    catalog: Catalog = request.app.state.context.catalog
    codes = sorted({p.code for p in catalog.procedures()})
    procedures = [(catalog.latest(c), len(_versions(catalog, c))) for c in codes]
    return render(request, "designer/index.html", procedures=procedures)


@router.get("/designer/{code}", response_class=HTMLResponse)
async def procedure_page(request: Request, code: str, version: str | None = None) -> HTMLResponse:
    require_officer(request)
    context = request.app.state.context
    catalog: Catalog = context.catalog
    try:
        # A version that is not a number is no version: the same page as an unknown one.
        procedure = catalog.latest(code) if version is None else catalog.get(code, int(version))
    except (KeyError, ValueError):
        return render(request, "error.html", 404, message_key="designer.unknown")
    found: Figures = await run_in_threadpool(
        figures, context.settings, catalog, context.reads, procedure=code
    )
    _ = partial(translate, language_of(request))
    rows = _rows(procedure, found, _)
    heat = {row.id: row.heat for row in rows}
    steps = [r.stats for r in rows if r.stats is not None]
    return render(
        request,
        "designer/procedure.html",
        procedure=procedure,
        versions=_versions(catalog, code),
        deadline=span_text(procedure.deadline, _),
        diagram=procedure_svg(procedure, heat, _, description=_description(rows, _)),
        rows=rows,
        lead=next((p for p in found.report.procedures if p.procedure == code), None),
        chart=bottleneck_chart(steps, _, label=lambda s: s.step) if steps else None,
        candidates=[(c, _reason(c, _)) for c in found.candidates if c.procedure == code],
        as_of=datetime.fromisoformat(found.report.as_of) if found.report.as_of else None,
    )


def _rows(procedure: Procedure, found: Figures, _: Callable[..., str]) -> list[StepRow]:
    stats = {s.step: s for s in found.report.steps if s.procedure == procedure.code}
    worst = max(stats.values(), key=lambda s: s.share, default=None)
    return [
        StepRow(
            id=step.id,
            lines=step_lines(step, procedure, _),
            stats=stats.get(step.id),
            heat=heat_level(stats[step.id].share) if step.id in stats else 0,
            worst=worst is not None and worst.step == step.id and worst.share > 0,
            automatic=not isinstance(step, HumanStep | ConsultStep),
        )
        for step in procedure.steps
    ]


def _description(rows: list[StepRow], _: Callable[..., str]) -> str:
    steps = "; ".join(
        ", ".join(row.lines)
        + (f" ({_('designer.share_of_lead')} {row.stats.share:.0%})" if row.stats else "")
        for row in rows
    )
    return _("designer.map.description", steps=steps)


def _reason(candidate: CutCandidate, _: Callable[..., str]) -> str:
    """The candidate's reason in the page's language, from its evidence."""
    e = candidate.evidence
    if candidate.kind == "rubber_stamp":
        return _(
            "designer.why.rubber_stamp",
            outcome=e["outcome"],
            share=f"{e['share']:.1%}",
            decisions=e["decisions"],
        )
    if candidate.kind == "sla_overrun":
        return _(
            "designer.why.sla_overrun",
            rate=f"{e['breach_rate']:.0%}",
            tasks=e["tasks"],
            breaches=e["breaches"],
        )
    return _(
        "designer.why.database_document",
        requests=e["requests"],
        dossiers=e["dossiers"],
        source=e["source"],
    )
