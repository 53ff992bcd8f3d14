"""Filing a dossier exactly once per ``Idempotency-Key``.

The engine checks the submission and derives its workflow id (from the caller and the key)
before anything starts; the key is then claimed in ``submission_keys`` with a digest of the
request, and the engine files it with update-with-start (``USE_EXISTING``), which answers with
the dossier code once the dossier is in the read model. So a retried request, or two identical
requests at once, reach the same dossier, and a key reused for a different request is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from temporalio.service import RPCError

from motcua.api._auth import Citizen
from motcua.api._context import ApiContext
from motcua.api._documents import link_documents, uploaded_documents
from motcua.api._errors import ApiError, engine_error
from motcua.api._portal_models import (
    SubmissionBody,
    SubmissionView,
    detail_of,
    summary_of,
)
from motcua.engine import Filing, Submission, SubmissionPending, SubmissionRefused, file, prepare
from motcua.store import DossierRow, SubmissionKeyRow, get_dossier_by_workflow


def request_hash(body: BaseModel) -> str:
    """SHA-256 of the body in canonical form (defaults filled, keys sorted)."""
    canonical = json.dumps(
        body.model_dump(mode="json"), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def engine_submission_id(owner: str, key: str, *, pepper: str) -> str:
    """The engine's idempotency key: per caller, so two citizens' keys never collide. It names
    the dossier's workflow and is logged, so it is keyed (HMAC with the evidence pepper): a
    plain digest of a personal ID and a guessable key could be reversed by trying every ID."""
    message = f"submission\x1f{owner}\x1f{key}".encode()
    return hmac.new(pepper.encode(), message, hashlib.sha256).hexdigest()[:32]


def _claim(ctx: ApiContext, row: SubmissionKeyRow) -> tuple[SubmissionKeyRow, bool]:
    """The key's row: ``row`` newly stored (True), or the one stored before (False)."""
    key = (row.owner_id, row.idempotency_key)
    with ctx.writes() as session:
        known = session.get(SubmissionKeyRow, key)
        if known is not None:
            return known, False
        session.add(row)
        try:
            session.commit()
        except IntegrityError:  # the same key, at the same time
            session.rollback()
            raced = session.get(SubmissionKeyRow, key)
            assert raced is not None
            return raced, False
        return row, True


def _projected(session: Session, workflow_id: str) -> tuple[DossierRow | None, list[DossierRow]]:
    """The submission's dossier, or a bundle's members and the first of them, if projected."""
    dossier = get_dossier_by_workflow(session, workflow_id)
    if dossier is not None:
        return dossier, []
    query = select(DossierRow).where(DossierRow.bundle_id == workflow_id)
    members = list(session.scalars(query.order_by(DossierRow.received_at)))
    return (members[0] if members else None), members


def lookup(ctx: ApiContext, workflow_id: str) -> SubmissionView:
    """What the read model shows of a submission so far."""
    with ctx.reads() as session:
        dossier, members = _projected(session, workflow_id)
        detail = None
        if dossier is not None:
            detail = detail_of(session, dossier, officer=False)
    return SubmissionView(
        workflow_id=workflow_id,
        state="pending" if detail is None else "created",
        dossier=detail,
        members=[summary_of(m) for m in members],
    )


async def _file(ctx: ApiContext, filing: Filing) -> None:
    """Start (or reach) the filing's workflow and wait for its code, at most
    ``submit_wait_seconds`` once the start is durable."""
    try:
        await file(
            ctx.engine(),
            filing,
            task_queue=ctx.settings.task_queue,
            wait=timedelta(seconds=ctx.settings.submit_wait_seconds),
        )
    except SubmissionPending:
        pass  # answered 202: the Location follows it
    except RPCError as exc:
        raise engine_error(exc) from None


async def file_dossier(
    ctx: ApiContext,
    who: Citizen,
    key: str,
    body: SubmissionBody,
    *,
    digest: str | None = None,
    about_dossier: str | None = None,
    comment_id: str | None = None,
) -> tuple[SubmissionView, bool]:
    """File ``body`` once per ``key``; the view, and whether this request created it.

    A feedback (``motcua.api._feedback``) passes the digest of its own request, the dossier it
    is about and the id of its words, stored first."""
    if body.applicant.personal_id != who.personal_id:
        raise ApiError(
            403, "applicant_mismatch", "the applicant's personal ID must be the caller's"
        )
    documents = await uploaded_documents(ctx, who.personal_id, body.documents, None)
    submission = Submission(
        procedure=body.procedure,
        version=body.version,
        channel=body.channel,
        applicant=body.applicant,
        form=body.form,
        documents=documents,
        submission_id=engine_submission_id(
            who.personal_id, key, pepper=ctx.settings.evidence_key()
        ),
        about_dossier=about_dossier,
        comment_id=comment_id,
    )
    try:
        # Unknown procedure, channel not offered, unlisted or missing documents: refused
        # before the key is claimed, so the corrected request may use it.
        filing = prepare(ctx.catalog, submission, ctx.options)
    except SubmissionRefused as exc:
        raise ApiError(422, exc.code, exc.message, exc.details) from None
    digest = digest or request_hash(body)
    claim = SubmissionKeyRow(
        owner_id=who.personal_id,
        idempotency_key=key,
        request_hash=digest,
        workflow_id=filing.workflow_id,
        created_at=datetime.now(UTC),
    )
    row, fresh = await run_in_threadpool(_claim, ctx, claim)
    if row.request_hash != digest:
        raise ApiError(
            422,
            "idempotency_key_reused",
            "this Idempotency-Key was used for a different request; use a new key",
        )
    if not fresh:
        known = await run_in_threadpool(lookup, ctx, row.workflow_id)
        if known.state == "created":
            return known, False
    # Filed again when not yet created: the start may not have reached the engine last time.
    await link_documents(ctx, filing.workflow_id, documents)
    await _file(ctx, filing)
    # The receipt means the dossier (a bundle: its first members) is in the read model.
    return await run_in_threadpool(lookup, ctx, filing.workflow_id), fresh
