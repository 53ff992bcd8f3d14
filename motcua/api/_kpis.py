"""``GET /v1/kpis``: the Decision 766/QĐ-TTg scorecard per agency for a period."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from starlette.concurrency import run_in_threadpool

from motcua.analysis import compute_kpis
from motcua.store import iter_events

router = APIRouter(tags=["kpis"])


def _midnight(day: date | None) -> datetime | None:
    return datetime.combine(day, time(), tzinfo=UTC) if day is not None else None


@router.get("/kpis", summary="Decision 766 KPIs per agency")
async def kpis(
    request: Request,
    agency: Annotated[str | None, Query(description="Only this agency (registry id)")] = None,
    start: Annotated[date | None, Query(alias="from", description="Period start (UTC)")] = None,
    end: Annotated[date | None, Query(alias="to", description="Period end, exclusive")] = None,
) -> dict[str, Any]:
    """Each indicator with its numerator, denominator, rate, target and points, per agency and
    in total; the same figures as ``motcua kpis --json``."""
    if start is not None and end is not None and end <= start:
        raise HTTPException(422, "'to' must be after 'from'")
    catalog, sessions = request.app.state.context.catalog, request.app.state.context.reads

    def compute() -> dict[str, Any]:
        with sessions() as session:
            events = list(iter_events(session, agency=agency, until=_midnight(end)))
        report = compute_kpis(
            events, catalog, agency=agency, start=_midnight(start), end=_midnight(end)
        )
        return report.to_dict()

    return await run_in_threadpool(compute)
