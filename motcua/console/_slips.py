"""The decree's slips as pages and PDFs: ``/dossiers/{code}/slips/{kind}`` (``.pdf``) for the
officers who may see the dossier, and ``/track/{code}/slips/{kind}?k=KEY`` for the holder of its
tracking key. Kinds: receipt, supplement, refusal, apology, control (``motcua.slips``)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from motcua.api._context import ApiContext
from motcua.console._i18n import language_of
from motcua.console._render import render
from motcua.console._session import require_officer
from motcua.console._track import Key, not_tracked, tracked_dossier
from motcua.services import visible_dossier
from motcua.slips import (
    STYLESHEET,
    SlipKind,
    SlipNotIssued,
    build_slip,
    pdf_of,
    slip_html,
    tracking_key,
    tracking_url,
)
from motcua.store import DossierRow, list_events

router = APIRouter()
STYLESHEET_URL = "/slips/slips.css"


@router.get("/slips/slips.css")
async def stylesheet() -> FileResponse:
    return FileResponse(STYLESHEET, media_type="text/css")


async def _slip(
    request: Request, row: DossierRow, kind: SlipKind, *, pdf: bool, pdf_link: str
) -> Response:
    ctx: ApiContext = request.app.state.context
    settings = ctx.settings
    lang = language_of(request)
    link = tracking_url(settings, str(request.base_url), row.dossier_code)

    def make() -> str | None:
        with ctx.reads() as session:
            events = list_events(session, row.dossier_code)
        try:
            slip = build_slip(
                kind,
                row=row,
                events=events,
                catalog=ctx.catalog,
                tracking_url=link,
                issued_at=datetime.now(UTC),
            )
        except SlipNotIssued:
            return None
        zone = ZoneInfo(settings.agency_timezone)
        if pdf:
            return slip_html(slip, lang=lang, zone=zone, stylesheet=None, pdf_link=None)
        return slip_html(slip, lang=lang, zone=zone, stylesheet=STYLESHEET_URL, pdf_link=pdf_link)

    page = await run_in_threadpool(make)
    if page is None:
        return render(request, "error.html", 404, message_key="slip.not_issued")
    if not pdf:
        return HTMLResponse(page)
    document = await run_in_threadpool(pdf_of, page)
    name = f"{row.dossier_code}-{kind}.pdf"
    headers = {"Content-Disposition": f'inline; filename="{name}"', "Cache-Control": "no-store"}
    return Response(document, media_type="application/pdf", headers=headers)


async def _officer_row(request: Request, code: str) -> DossierRow | None:
    officer = require_officer(request)
    ctx: ApiContext = request.app.state.context

    def find() -> DossierRow | None:
        with ctx.reads() as session:
            return visible_dossier(session, officer, code)

    return await run_in_threadpool(find)


# The PDF routes come first: "/slips/receipt.pdf" would otherwise be the page of kind
# "receipt.pdf" (and refused as an unknown kind).
@router.get("/dossiers/{code}/slips/{kind}.pdf", response_model=None)
async def officer_slip_pdf(request: Request, code: str, kind: SlipKind) -> Response:
    row = await _officer_row(request, code)
    if row is None:
        return not_tracked(request)
    return await _slip(request, row, kind, pdf=True, pdf_link="")


@router.get("/track/{code}/slips/{kind}.pdf", response_model=None)
async def tracked_slip_pdf(request: Request, code: str, kind: SlipKind, k: Key = None) -> Response:
    row = await tracked_dossier(request, code, k)
    if row is None:
        return not_tracked(request)
    return await _slip(request, row, kind, pdf=True, pdf_link="")


@router.get("/dossiers/{code}/slips/{kind}", response_model=None)
async def officer_slip(request: Request, code: str, kind: SlipKind) -> Response:
    row = await _officer_row(request, code)
    if row is None:
        return not_tracked(request)
    link = f"{request.url.path}.pdf"
    return await _slip(request, row, kind, pdf=False, pdf_link=link)


@router.get("/track/{code}/slips/{kind}", response_model=None)
async def tracked_slip(request: Request, code: str, kind: SlipKind, k: Key = None) -> Response:
    row = await tracked_dossier(request, code, k)
    if row is None:
        return not_tracked(request)
    ctx: ApiContext = request.app.state.context
    link = f"{request.url.path}.pdf?k={tracking_key(ctx.settings, row.dossier_code)}"
    return await _slip(request, row, kind, pdf=False, pdf_link=link)
