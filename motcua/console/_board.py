"""The public board, ``/board`` and ``/board/{agency}``: this month's dossiers received and
finished early, on time or late, and the on-time rate, per agency — what the decree's display
boards at a one-stop office show. No sign-in; a small script reloads
the page every minute while its "update" box is ticked (a reader can stop it: WCAG 2.2.1).

The figures come from the analysis (``motcua.analysis.board_figures``), so the rate is the one
``motcua kpis`` reports for the same month.
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from motcua.analysis import BoardFigures, board_figures
from motcua.api._context import ApiContext
from motcua.console._render import render
from motcua.store import iter_events

router = APIRouter()
REFRESH_SECONDS = 60


def month_start(now: datetime, zone: ZoneInfo) -> datetime:
    """Midnight, in the agency's time zone, of the first day of ``now``'s month there."""
    first = now.astimezone(zone).date().replace(day=1)
    return datetime.combine(first, time(), tzinfo=zone)


async def _page(request: Request, agency: str | None) -> HTMLResponse:
    ctx: ApiContext = request.app.state.context
    registry = ctx.catalog.registry
    known = registry.agencies if registry else {}
    if agency is not None and agency not in known:
        return render(request, "error.html", 404, message_key="error.not_found")
    zone = ZoneInfo(ctx.settings.agency_timezone)
    now = datetime.now(UTC)
    start = month_start(now, zone)

    def figures() -> list[BoardFigures]:
        with ctx.reads() as session:
            events = list(iter_events(session, agency=agency))
        return board_figures(events, ctx.catalog, start=start, zone=zone, agency=agency, now=now)

    lines = await run_in_threadpool(figures)
    return render(
        request,
        "board/board.html",
        lines=lines,
        names={a: known[a].name for a in known},
        agency=agency,
        start=start,
        now=now,
        refresh=REFRESH_SECONDS,
    )


@router.get("/board", response_class=HTMLResponse)
async def board(request: Request) -> HTMLResponse:
    return await _page(request, None)


@router.get("/board/{agency}", response_class=HTMLResponse)
async def agency_board(request: Request, agency: str) -> HTMLResponse:
    return await _page(request, agency)
