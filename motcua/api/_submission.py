"""Filing a dossier exactly once per ``Idempotency-Key``.

The key is claimed in ``submission_keys`` with a digest of the request before the workflow is
started; the workflow id is derived from the caller and the key, and the engine starts it with
``USE_EXISTING``. So a retried request, or two identical requests at once, reach the same
dossier, and a key reused for a different request is refused.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from temporalio.client import WorkflowHandle
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.service import RPCError

from motcua.api._auth import Citizen
from motcua.api._context import ApiContext
from motcua.api._documents import uploaded_documents
from motcua.api._errors import ApiError, engine_error
from motcua.api._portal_models import (
    SubmissionBody,
    SubmissionView,
    detail_of,
    summary_of,
)
from motcua.definitions import Catalog
from motcua.engine import Submission, submit
from motcua.store import DossierRow, SubmissionKeyRow, get_dossier_by_workflow

_POLL_SECONDS = 0.1


def request_hash(body: SubmissionBody) -> str:
    """SHA-256 of the body in canonical form (defaults filled, keys sorted)."""
    canonical = json.dumps(
        body.model_dump(mode="json"), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def engine_submission_id(owner: str, key: str) -> str:
    """The engine's idempotency key: per caller, so two citizens' keys never collide."""
    return hashlib.sha256(f"{owner}\x1f{key}".encode()).hexdigest()[:32]


def _is_bundle(catalog: Catalog, code: str) -> bool:
    return any(b.code == code for b in catalog.bundles())


def listed_documents(catalog: Catalog, code: str, version: int | None) -> set[str]:
    """The document ids a procedure (or every member of a bundle) lists; 422 when unknown."""
    try:
        if _is_bundle(catalog, code):
            bundle = catalog.bundle(code, version)
            procedures = [catalog.latest(m.procedure) for m in bundle.members]
        else:
            procedures = [catalog.latest(code) if version is None else catalog.get(code, version)]
    except KeyError:
        suffix = f" version {version}" if version is not None else ""
        raise ApiError(
            422,
            "unknown_procedure",
            f"unknown procedure {code}{suffix}",
            {"known": catalog.codes()},
        ) from None
    return {d.id for p in procedures for d in p.documents}


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


def _release(ctx: ApiContext, owner: str, key: str) -> None:
    with ctx.writes() as session:
        row = session.get(SubmissionKeyRow, (owner, key))
        if row is not None:
            session.delete(row)
            session.commit()


def _projected(session: Session, workflow_id: str) -> tuple[DossierRow | None, list[DossierRow]]:
    """The submission's dossier, or a bundle's members and the first of them, if projected."""
    dossier = get_dossier_by_workflow(session, workflow_id)
    if dossier is not None:
        return dossier, []
    query = select(DossierRow).where(DossierRow.bundle_id == workflow_id)
    members = list(session.scalars(query.order_by(DossierRow.received_at)))
    return (members[0] if members else None), members


def _is_projected(ctx: ApiContext, workflow_id: str) -> bool:
    with ctx.reads() as session:
        return _projected(session, workflow_id)[0] is not None


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


async def _start(ctx: ApiContext, submission: Submission) -> str:
    try:
        handle: WorkflowHandle[object, object] = await submit(
            ctx.engine(),
            ctx.catalog,
            submission,
            task_queue=ctx.settings.task_queue,
            options=ctx.options,
        )
    except WorkflowAlreadyStartedError as exc:  # started before and already closed
        return exc.workflow_id
    except RPCError as exc:
        raise engine_error(exc) from None
    return handle.id


async def file_dossier(
    ctx: ApiContext, who: Citizen, key: str, body: SubmissionBody
) -> tuple[SubmissionView, bool]:
    """File ``body`` once per ``key``; the view, and whether this request created it."""
    if body.applicant.personal_id != who.personal_id:
        raise ApiError(
            403, "applicant_mismatch", "the applicant's personal ID must be the caller's"
        )
    listed = listed_documents(ctx.catalog, body.procedure, body.version)
    documents = await uploaded_documents(ctx, who.personal_id, body.documents, listed)
    submission_id = engine_submission_id(who.personal_id, key)
    prefix = "bundle" if _is_bundle(ctx.catalog, body.procedure) else "dossier"
    digest = request_hash(body)
    claim = SubmissionKeyRow(
        owner_id=who.personal_id,
        idempotency_key=key,
        request_hash=digest,
        workflow_id=f"{prefix}-{submission_id}",
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
    submission = Submission(
        procedure=body.procedure,
        version=body.version,
        channel=body.channel,
        applicant=body.applicant,
        form=body.form,
        documents=documents,
        submission_id=submission_id,
    )
    try:
        workflow_id = await _start(ctx, submission)
    except ValueError as exc:  # unknown procedure, channel not offered
        await run_in_threadpool(_release, ctx, who.personal_id, key)
        raise ApiError(422, "invalid_submission", str(exc)) from None
    return await wait_for_dossier(ctx, workflow_id), fresh


async def wait_for_dossier(ctx: ApiContext, workflow_id: str) -> SubmissionView:
    """The submission's view once its dossier is projected, or pending after the wait."""
    loop = asyncio.get_running_loop()
    until = loop.time() + ctx.settings.submit_wait_seconds
    # Poll for the row only; the view with its timeline is read once.
    while not await run_in_threadpool(_is_projected, ctx, workflow_id):
        if loop.time() >= until:
            break
        await asyncio.sleep(_POLL_SECONDS)
    return await run_in_threadpool(lookup, ctx, workflow_id)
