"""``GET /v1/kpis``: the Decision 766/QĐ-TTg scorecard per agency for a period."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool

from motcua.analysis import PeriodError, agency_zone, compute_kpis, parse_bound
from motcua.api._errors import ApiError
from motcua.store import iter_events

router = APIRouter(tags=["kpis"])

_BOUND = (
    "a calendar day YYYY-MM-DD in the agency's time zone (midnight there) or an ISO 8601 "
    "instant with its offset, e.g. 2026-10-01T06:40:00+07:00"
)


def _bound(text: str | None, field: str, zone_name: str) -> datetime | None:
    if text is None:
        return None
    try:
        return parse_bound(text, agency_zone(zone_name))
    except PeriodError as exc:
        detail = [{"field": f"query.{field}", "message": str(exc)}]
        raise ApiError(422, "invalid_request", str(exc), detail) from None


@router.get("/kpis", summary="Decision 766 KPIs per agency")
async def kpis(
    request: Request,
    agency: Annotated[str | None, Query(description="Only this agency (registry id)")] = None,
    start: Annotated[
        str | None, Query(alias="from", description=f"Period start (inclusive): {_BOUND}")
    ] = None,
    end: Annotated[
        str | None, Query(alias="to", description=f"Period end (exclusive): {_BOUND}")
    ] = None,
) -> dict[str, Any]:
    """Each indicator with its numerator, denominator, rate, target and points, per agency and
    in total, and every finished dossier whose recorded timeliness flag disagrees with its
    events (``disagreements``); the same figures as ``motcua kpis --json``."""
    context = request.app.state.context
    zone_name = context.settings.agency_timezone
    since, until = _bound(start, "from", zone_name), _bound(end, "to", zone_name)
    if since is not None and until is not None and until <= since:
        raise ApiError(422, "invalid_request", "'to' must be after 'from'")
    catalog, sessions = context.catalog, context.reads

    def compute() -> dict[str, Any]:
        with sessions() as session:
            events = list(iter_events(session, agency=agency, until=until))
        report = compute_kpis(
            events, catalog, agency=agency, start=since, end=until, zone=agency_zone(zone_name)
        )
        return report.to_dict()

    return await run_in_threadpool(compute)
