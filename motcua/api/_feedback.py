"""Citizen feedback and complaints (PAKN) through a portal: file one, optionally about a dossier
of your own, and follow it.

A feedback is a dossier of the feedback procedure (``procedure_defs/feedback.yaml``): officers
classify, answer and publish it from their inbox like any task. Its words never reach the
workflow: they are stored as a comment first, under the feedback's workflow id (its dossier code
does not exist yet), the workflow's ``dossier.submitted`` cites the comment's id, and the comment
is filed under the dossier code once the engine has allocated it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from motcua.analysis import FEEDBACK_PROCEDURE
from motcua.api._auth import Citizen, CitizenDep
from motcua.api._comments import store_comment
from motcua.api._context import ApiContext, ContextDep
from motcua.api._errors import ApiError, not_found
from motcua.api._filing_answer import answer_filing, filing_responses
from motcua.api._portal_models import (
    ApplicantBody,
    DocumentRef,
    DossierDetail,
    SubmissionBody,
    SubmissionView,
    detail_of,
)
from motcua.api._submission import engine_submission_id, file_dossier, request_hash
from motcua.api._visibility import find_visible
from motcua.engine import Submission as EngineSubmission
from motcua.engine import SubmissionRefused, prepare
from motcua.store import DossierRow, move_comments

__all__ = ["router"]

router = APIRouter(tags=["feedback"])


class FeedbackBody(BaseModel):
    """What a citizen writes: the feedback itself, and the dossier it is about if any."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    applicant: ApplicantBody
    text: str = Field(
        min_length=1, max_length=4000, description="For you and the officers handling it only"
    )
    about_dossier: str | None = Field(
        default=None,
        min_length=1,
        max_length=64,
        description="The code of one of your dossiers, when the feedback is about it",
    )
    documents: list[DocumentRef] = Field(
        default_factory=list, max_length=20, description="Supporting documents (attachment)"
    )


@router.post(
    "/feedback",
    summary="File feedback or a complaint (PAKN)",
    status_code=201,
    response_model=SubmissionView,
    responses=filing_responses(
        started="Started; follow the Location",
        refused="Not one of your dossiers, empty text, foreign upload, key reused",
    ),
)
async def file_feedback(
    body: FeedbackBody,
    key: Annotated[str, Header(alias="Idempotency-Key", min_length=1, max_length=128)],
    who: CitizenDep,
    ctx: ContextDep,
    response: Response,
) -> SubmissionView:
    """File feedback for the calling citizen; with ``about_dossier`` it is a complaint about
    that dossier (yours only), counted in the agency's satisfaction KPI."""
    if not body.text.strip():
        raise ApiError(422, "invalid_request", "write the feedback in 'text'", {"field": "text"})
    if body.about_dossier is not None:
        await _own_dossier(ctx, who, body.about_dossier)
    submission = SubmissionBody(
        procedure=FEEDBACK_PROCEDURE, applicant=body.applicant, documents=body.documents
    )
    workflow_id = _workflow_id(ctx, who, key, submission)
    # The words first, under the workflow id; the dossier cites them by id.
    words = await store_comment(
        ctx,
        who,
        dossier_code=workflow_id,
        kind="feedback",
        text=body.text,
        citizen_visible=True,
    )
    view, created = await file_dossier(
        ctx,
        who,
        key,
        submission,
        digest=request_hash(body),
        about_dossier=body.about_dossier,
        comment_id=words,
    )
    if view.dossier is not None:
        await _file_words(ctx, workflow_id, view.dossier.code)
    return answer_filing(response, view, created, resource="/v1/feedback")


@router.get(
    "/feedback/{code}", summary="One feedback with its answer", response_model=DossierDetail
)
async def read_feedback(code: str, who: CitizenDep, ctx: ContextDep) -> DossierDetail:
    """Where your feedback stands, with your words and the officers' answers in its timeline;
    404 for a dossier that is not a feedback of yours."""

    def read() -> DossierDetail | None:
        with ctx.writes.begin() as session:
            row = find_visible(session, who, code)
            if row is None or row.procedure_code != FEEDBACK_PROCEDURE:
                return None
            # Filed while its code was pending (202): its words are still under the workflow id.
            move_comments(session, from_key=row.workflow_id, to_code=row.dossier_code)
            session.flush()
            return detail_of(session, row, officer=False)

    detail = await run_in_threadpool(read)
    if detail is None:
        raise not_found(f"feedback {code}")
    return detail


def _workflow_id(ctx: ApiContext, who: Citizen, key: str, body: SubmissionBody) -> str:
    """The workflow the feedback will run as (checked as the engine checks any submission)."""
    engine_id = engine_submission_id(who.personal_id, key, pepper=ctx.settings.evidence_key())
    submission = EngineSubmission(
        procedure=body.procedure,
        applicant=body.applicant,
        documents=[],  # uploads are checked when it is filed
        submission_id=engine_id,
    )
    try:
        return prepare(ctx.catalog, submission, ctx.options).workflow_id
    except SubmissionRefused as exc:
        raise ApiError(422, exc.code, exc.message, exc.details) from None


async def _own_dossier(ctx: ApiContext, who: Citizen, code: str) -> DossierRow:
    def find() -> DossierRow | None:
        with ctx.reads() as session:
            return find_visible(session, who, code)

    row = await run_in_threadpool(find)
    if row is None or row.procedure_code == FEEDBACK_PROCEDURE:
        raise ApiError(
            422,
            "unknown_dossier",
            f"about_dossier: you have no dossier {code}; give the code of one of your dossiers "
            "(GET /v1/dossiers lists them) or leave it out",
            {"field": "about_dossier", "about_dossier": code},
        )
    return row


async def _file_words(ctx: ApiContext, workflow_id: str, code: str) -> None:
    def move() -> None:
        with ctx.writes.begin() as session:
            move_comments(session, from_key=workflow_id, to_code=code)

    await run_in_threadpool(move)
