"""The citizen's tracking page, ``/track/{dossier_code}?k=KEY``: opened from the QR code on a
slip or from the ``tracking_url`` of the API's dossier view, no sign-in needed.

The key proves the reader holds the slip (``motcua.slips.tracking_key``). A wrong or missing key
answers exactly as an unknown dossier does (404), so codes cannot be probed. The page never shows
a personal ID, name or address, nor the result code (it contains the personal ID, Decree
118/2025 Art. 22), nor anything a person wrote: the holder of a slip may be anyone.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from motcua.api._context import ApiContext
from motcua.api._dossiers import rate
from motcua.api._errors import ApiError
from motcua.api._portal_models import DossierDetail, RatingBody, detail_of
from motcua.api._principals import Citizen
from motcua.console._render import render
from motcua.console._session import check_csrf
from motcua.services import dossier_by_tracking_key
from motcua.slips import tracking_key, tracking_path
from motcua.store import DossierRow

router = APIRouter()
Key = Annotated[str | None, Query(alias="k", max_length=64)]
# The hand-offs a citizen sees on the timeline; the rest (tasks, claims) is the agency's own work.
CITIZEN_EVENTS = frozenset(
    {
        "dossier.submitted",
        "dossier.accepted",
        "dossier.supplement_requested",
        "dossier.supplement_received",
        "verification.completed",
        "fee.requested",
        "fee.paid",
        "fee.refunded",
        "consultation.sent",
        "consultation.replied",
        "deadline.extended",
        "result.issued",
        "result.delivered",
        "dossier.refused",
        "dossier.rejected",
        "dossier.withdrawn",
        "dossier.lapsed",
        "dossier.rated",
        "dossier.completed",
    }
)


def _context(request: Request) -> ApiContext:
    ctx: ApiContext = request.app.state.context
    return ctx


async def tracked_dossier(request: Request, code: str, key: str | None) -> DossierRow | None:
    """The dossier ``code`` if ``key`` is its tracking key, else None (unknown or wrong key
    alike: :func:`motcua.services.dossier_by_tracking_key`)."""
    ctx = _context(request)

    def find() -> DossierRow | None:
        with ctx.reads() as session:
            return dossier_by_tracking_key(session, ctx.settings, code, key)

    return await run_in_threadpool(find)


def not_tracked(request: Request) -> HTMLResponse:
    return render(request, "error.html", 404, message_key="error.not_found")


def waiting_key(waiting_for: str | None) -> str | None:
    """The message key of what the dossier waits for, said without the agency's role names."""
    if waiting_for is None:
        return None
    if waiting_for.startswith("citizen: "):
        return "track.waiting." + waiting_for.removeprefix("citizen: ")
    return "track.waiting.officer" if waiting_for.startswith("officer") else "track.waiting.system"


async def _page(
    request: Request, row: DossierRow, *, status_code: int = 200, refusal: str | None = None
) -> HTMLResponse:
    ctx = _context(request)

    def detail() -> DossierDetail:
        with ctx.reads() as session:
            return detail_of(session, row, officer=False)

    dossier = await run_in_threadpool(detail)
    try:
        procedure = ctx.catalog.get(row.procedure_code, row.procedure_version)
    except KeyError:
        procedure = None
    return render(
        request,
        "track/dossier.html",
        status_code,
        dossier=dossier,
        procedure=procedure,
        waiting=waiting_key(dossier.waiting_for),
        timeline=[e for e in dossier.timeline if e.type in CITIZEN_EVENTS],
        slips=_slips_of(dossier),
        key=tracking_key(ctx.settings, row.dossier_code),
        document_names={d.id: d.name for d in procedure.documents} if procedure else {},
        rating_due=dossier.status == "completed" and dossier.rating is None,
        rated=request.query_params.get("rated") == "1",
        refusal=refusal,
    )


def _slips_of(dossier: DossierDetail) -> list[str]:
    """The slips this dossier has been issued, in the order they come."""
    kinds = ["receipt"] if dossier.accepted_at else []
    kinds += ["supplement"] if dossier.supplement_requests else []
    kinds += ["refusal"] if dossier.status == "refused" else []
    kinds += ["apology"] if dossier.extended else []
    return [*kinds, "control"]


@router.get("/track/{code}", response_class=HTMLResponse)
async def track(request: Request, code: str, k: Key = None) -> HTMLResponse:
    row = await tracked_dossier(request, code, k)
    if row is None:
        return not_tracked(request)
    return await _page(request, row)


@router.post("/track/{code}/rating", dependencies=[Depends(check_csrf)], response_model=None)
async def rate_from_tracking(
    request: Request,
    code: str,
    k: Annotated[str, Form(max_length=64)],
    score: Annotated[int, Form(ge=1, le=5)],
    complaint: Annotated[bool, Form()] = False,
) -> Response:
    """The rating form: the API's own rating command, for the dossier's applicant (the key
    holder holds the applicant's slip)."""
    row = await tracked_dossier(request, code, k)
    if row is None or row.applicant_id is None:
        return not_tracked(request)
    owner = Citizen(personal_id=row.applicant_id)
    try:
        await rate(code, RatingBody(score=score, complaint=complaint), owner, _context(request))
    except ApiError as refused:
        return await _page(request, row, status_code=409, refusal=refused.message)
    path = tracking_path(_context(request).settings, code)
    return RedirectResponse(f"{path}&rated=1", status_code=303)
