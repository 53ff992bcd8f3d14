"""Dossiers through a portal: file one, follow it, supplement, withdraw, rate.

Reads come from the read model; commands go to the dossier's workflow as updates, so a rule the
workflow enforces ("not waiting for a supplement", "already decided") comes back as a 409 with the
workflow's own words.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request, Response
from starlette.concurrency import run_in_threadpool
from temporalio.service import RPCError

from motcua.api._auth import CallerDep, Citizen, CitizenDep, Officer
from motcua.api._comments import citizen_words
from motcua.api._context import ApiContext, ContextDep
from motcua.api._documents import link_documents, uploaded_documents
from motcua.api._errors import ApiError, engine_error, not_found
from motcua.api._filing_answer import answer_filing, filing_responses
from motcua.api._portal_models import (
    DossierDetail,
    DossierPage,
    RatingBody,
    SubmissionBody,
    SubmissionView,
    SupplementBody,
    WithdrawalBody,
    detail_of,
    summary_of,
)
from motcua.api._submission import file_dossier, lookup
from motcua.api._visibility import visible_dossier
from motcua.dossier import Ack, DossierStatusName, RatingInput, SupplementInput, WithdrawInput
from motcua.engine import CommandRefused, Dossier
from motcua.services import filed_by, readable_dossier_page
from motcua.slips import tracking_url
from motcua.store import DossierRow

__all__ = ["router", "visible_dossier"]

router = APIRouter(tags=["dossiers"])
IdempotencyKey = Annotated[
    str,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=128,
        description="Unique per submission: retrying with the same key and body is safe",
    ),
]


@router.post(
    "/dossiers",
    summary="File a dossier",
    status_code=201,
    response_model=SubmissionView,
    responses=filing_responses(
        started="Started; poll the Location for its code",
        refused="Unknown procedure or document, channel not offered, a required document "
        "missing (`missing_documents`), foreign upload, key reused",
    ),
)
async def submit_dossier(
    body: SubmissionBody,
    key: IdempotencyKey,
    who: CitizenDep,
    ctx: ContextDep,
    response: Response,
) -> SubmissionView:
    """File a dossier for the calling citizen; the same ``Idempotency-Key`` and body again
    returns the same dossier, with another body a 422 ``idempotency_key_reused``."""
    view, created = await file_dossier(ctx, who, key, body)
    return answer_filing(response, view, created, resource="/v1/dossiers")


@router.get(
    "/submissions/{workflow_id}",
    summary="Follow a submission still being filed",
    response_model=SubmissionView,
)
async def read_submission(
    workflow_id: str, who: CitizenDep, ctx: ContextDep, response: Response
) -> SubmissionView:
    """Where a 202-answered submission stands; ``created`` with the dossier once it has a code."""

    def find() -> SubmissionView | None:
        with ctx.reads() as session:
            if not filed_by(session, who, workflow_id):
                return None
        return lookup(ctx, workflow_id)

    view = await run_in_threadpool(find)
    if view is None:
        raise not_found(f"submission {workflow_id}")
    if view.dossier is not None:
        response.headers["Location"] = f"/v1/dossiers/{view.dossier.code}"
    return view


@router.get("/dossiers", summary="Your dossiers", response_model=DossierPage)
async def my_dossiers(
    who: CitizenDep,
    ctx: ContextDep,
    status: Annotated[DossierStatusName | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> DossierPage:
    """The calling citizen's dossiers, newest first."""

    def page() -> list[DossierRow]:
        with ctx.reads() as session:
            return readable_dossier_page(session, who, status=status, limit=limit, offset=offset)

    rows = await run_in_threadpool(page)
    return DossierPage(
        items=[summary_of(r) for r in rows],
        limit=limit,
        offset=offset,
        next_offset=offset + limit if len(rows) == limit else None,
    )


@router.get(
    "/dossiers/{code}", summary="One dossier with its timeline", response_model=DossierDetail
)
async def read_dossier(
    code: str, who: CallerDep, ctx: ContextDep, request: Request
) -> DossierDetail:
    """Status, what it waits for, due dates, fee, result and the timeline of hand-offs;
    for its applicant also ``tracking_url``, the page the QR code on the slips opens.

    Its applicant and officers of the agencies working on it may read it; others get 404.
    """
    dossier = await visible_dossier(ctx, who, code)

    def detail() -> DossierDetail:
        with ctx.reads() as session:
            return detail_of(session, dossier, officer=isinstance(who, Officer))

    view = await run_in_threadpool(detail)
    if isinstance(who, Citizen):
        link = tracking_url(ctx.settings, str(request.base_url), dossier.dossier_code)
        view = view.model_copy(update={"tracking_url": link})
    return view


async def _command(
    ctx: ApiContext, who: Citizen, code: str, send: Callable[[Dossier], Awaitable[Ack]]
) -> Ack:
    dossier = await visible_dossier(ctx, who, code)
    try:
        return await send(Dossier(ctx.engine(), dossier.workflow_id))
    except CommandRefused as refused:
        message = refused.message
        if isinstance(refused.__cause__, RPCError):  # the workflow has closed: say so in our words
            message = f"dossier {code} is {dossier.status} and accepts no more commands"
        status = 409 if refused.conflict else 422  # an incomplete supplement is the request's fault
        raise ApiError(status, "refused", message, {"kind": refused.kind}) from None
    except RPCError as exc:
        raise engine_error(exc) from None


_REFUSED: dict[int | str, dict[str, Any]] = {
    409: {"description": "The dossier's workflow refused it; the message says why"}
}


@router.post(
    "/dossiers/{code}/supplement",
    summary="Send missing documents",
    response_model=Ack,
    responses=_REFUSED,
)
async def supplement(code: str, body: SupplementBody, who: CitizenDep, ctx: ContextDep) -> Ack:
    """The documents the dossier waits for, as digests of your uploads."""
    dossier = await visible_dossier(ctx, who, code)
    try:
        procedure = ctx.catalog.get(dossier.procedure_code, dossier.procedure_version)
        listed: set[str] | None = {d.id for d in procedure.documents}
    except KeyError:  # a version no longer loaded: the workflow checks against its pinned one
        listed = None
    documents = await uploaded_documents(ctx, who.personal_id, body.documents, listed)
    await link_documents(ctx, dossier.workflow_id, documents)
    return await _command(
        ctx, who, code, lambda d: d.supplement(SupplementInput(documents=documents))
    )


@router.post(
    "/dossiers/{code}/withdrawal",
    summary="Withdraw the dossier",
    response_model=Ack,
    responses=_REFUSED,
)
async def withdraw(code: str, body: WithdrawalBody, who: CitizenDep, ctx: ContextDep) -> Ack:
    """Allowed until the decision is issued (Decree 118/2025 Art. 21). The reason is kept as a
    comment only you and the dossier's officers can read."""
    await visible_dossier(ctx, who, code)  # no comment is stored on another's dossier
    comment_id = await citizen_words(
        ctx, who, dossier_code=code, kind="withdrawal", text=body.reason
    )
    command = WithdrawInput(comment_id=comment_id)
    return await _command(ctx, who, code, lambda d: d.withdraw(command))


@router.post(
    "/dossiers/{code}/rating", summary="Rate the service", response_model=Ack, responses=_REFUSED
)
async def rate(code: str, body: RatingBody, who: CitizenDep, ctx: ContextDep) -> Ack:
    """Once the result is issued: a score of 1 to 5, and whether it is a complaint."""
    await visible_dossier(ctx, who, code)
    comment_id = await citizen_words(ctx, who, dossier_code=code, kind="rating", text=body.comment)
    rating = RatingInput(score=body.score, complaint=body.complaint, comment_id=comment_id)
    return await _command(ctx, who, code, lambda d: d.rate(rating))
