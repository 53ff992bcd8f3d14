"""The procedure catalogue, for citizens: ``/procedures``, ``/procedures/{code}`` and the A4
notice ``/procedures/{code}/notice`` posted at the one-stop desk. No sign-in.

Each procedure says what to bring and what a database provides instead (``replaced_by``), its
fees by channel, its deadline and its steps — the API's own procedure view
(``GET /v1/procedures/{code}``), shown as a page with a QR code that opens it.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from motcua.api._context import ApiContext
from motcua.api._errors import ApiError
from motcua.api._procedures import BundleView, ProcedureView, list_procedures, read_procedure
from motcua.console._render import render
from motcua.slips import public_base, qr_data_uri

router = APIRouter()


def _context(request: Request) -> ApiContext:
    ctx: ApiContext = request.app.state.context
    return ctx


@router.get("/procedures", response_class=HTMLResponse)
async def catalogue(request: Request) -> HTMLResponse:
    # The API's own catalogue: each procedure at the version in force today.
    listed = await list_procedures(_context(request))
    return render(
        request, "catalogue/list.html", procedures=listed.procedures, bundles=listed.bundles
    )


async def _procedure(request: Request, code: str) -> ProcedureView | BundleView | None:
    """The procedure or interconnected bundle ``code`` in force today, as the API shows it."""
    try:
        return await read_procedure(code, _context(request))
    except ApiError:
        return None


async def _page(request: Request, code: str, template: str) -> HTMLResponse:
    procedure = await _procedure(request, code)
    if procedure is None:
        return render(request, "error.html", 404, message_key="error.not_found")
    settings = _context(request).settings
    link = f"{public_base(settings, str(request.base_url))}/procedures/{procedure.code}"
    return render(request, template, procedure=procedure, link=link, qr=qr_data_uri(link))


@router.get("/procedures/{code}", response_class=HTMLResponse)
async def procedure_page(request: Request, code: str) -> HTMLResponse:
    return await _page(request, code, "catalogue/procedure.html")


@router.get("/procedures/{code}/notice", response_class=HTMLResponse)
async def notice(request: Request, code: str) -> HTMLResponse:
    return await _page(request, code, "catalogue/notice.html")
