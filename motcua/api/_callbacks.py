"""Events in from other systems: signed payment callbacks, pushed consultation replies and
population-data changes. Each becomes a signal or an update of the dossiers it concerns.

The payment callback carries no bearer token: the payment platform signs it with HMAC
(:mod:`adapters.signing`), and a nonce seen before is refused, so a tampered, stale or replayed
callback changes nothing. Agency systems call with a service token.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

import structlog
from fastapi import APIRouter, Body, Depends, Request
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from temporalio.service import RPCError, RPCStatusCode

from adapters.consultation import ConsultationReply
from adapters.payment import PaymentConfirmation
from adapters.population import PopulationChange
from adapters.signing import BadSignature, verify
from motcua.api._auth import Service, service
from motcua.api._context import ApiContext, context
from motcua.api._errors import ApiError, not_found
from motcua.definitions import ConsultStep
from motcua.dossier import (
    TERMINAL_STATUSES,
    ConsultationReplyInput,
    PaymentEvent,
    PopulationChangeInput,
)
from motcua.engine import CommandRefused, Dossier
from motcua.store import CallbackNonceRow, DossierRow, PaymentRow, get_dossier

log = structlog.get_logger("motcua.api.callbacks")
router = APIRouter(tags=["events in"])
ContextDep = Annotated[ApiContext, Depends(context)]
PAYMENT = "payment"


class CallbackAccepted(BaseModel):
    model_config = ConfigDict(frozen=True)

    accepted: bool = True
    dossier_code: str


class ReplyAccepted(BaseModel):
    model_config = ConfigDict(frozen=True)

    reference: str
    dossier_code: str
    status: str = Field(description="The dossier's status once the reply was recorded")
    message: str


class ChangeDelivered(BaseModel):
    model_config = ConfigDict(frozen=True)

    cursor: int
    dossier_codes: list[str] = Field(description="The applicant's open dossiers it was sent to")


class ChangesDelivered(BaseModel):
    model_config = ConfigDict(frozen=True)

    changes: list[ChangeDelivered]


def _engine_error(exc: RPCError) -> ApiError:
    return ApiError(503, "engine_unavailable", f"the workflow engine did not answer: {exc}")


# ------------------------------------------------------------------------- payment callback

_SIGNED_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": PaymentConfirmation.model_json_schema()}},
    },
    "parameters": [
        {"name": h, "in": "header", "required": True, "schema": {"type": "string"}}
        for h in ("X-Motcua-Timestamp", "X-Motcua-Nonce", "X-Motcua-Signature")
    ],
}


@router.post(
    "/callbacks/payment",
    summary="Payment confirmation (signed by the payment platform)",
    openapi_extra=_SIGNED_BODY,
    responses={
        401: {"description": "Missing, wrong or stale signature"},
        404: {"description": "No fee with this reference (yet): retry"},
        409: {"description": "Nonce already used (replay), or the dossier is closed"},
        503: {"description": "The engine is unavailable: retry"},
    },
)
async def payment_callback(request: Request, ctx: ContextDep) -> CallbackAccepted:
    """Hand a payment confirmation to its dossier. Signed over the raw body with
    ``X-Motcua-Timestamp``/``-Nonce``/``-Signature``; each nonce is accepted once. The same
    payment sent again with a fresh nonce is answered 200 and counted once by the dossier."""
    body = await request.body()
    settings = ctx.settings
    try:
        nonce = verify(
            settings.callback_key(),
            body,
            request.headers,
            tolerance_seconds=settings.callback_tolerance_seconds,
        )
    except BadSignature as exc:
        log.warning("callback.refused", source=PAYMENT, reason=str(exc))
        raise ApiError(401, "bad_signature", f"the callback is not signed validly: {exc}") from None
    try:
        paid = PaymentConfirmation.model_validate_json(body)
    except ValidationError as exc:
        details = [
            {"field": ".".join(map(str, e["loc"])), "message": e["msg"]} for e in exc.errors()
        ]
        raise ApiError(422, "invalid_request", "the callback body is not valid", details) from None
    workflow_id, code = await run_in_threadpool(_dossier_of_fee, ctx, paid.reference)
    client = ctx.engine()
    session = ctx.writes()
    try:
        # The nonce is stored before the signal and committed after it: a replay is refused,
        # and a signal that fails leaves the nonce unused for the platform's retry.
        await run_in_threadpool(_use_nonce, session, nonce, settings.callback_tolerance_seconds)
        try:
            await Dossier(client, workflow_id).payment_confirmed(
                PaymentEvent.model_validate(paid.model_dump())
            )
        except RPCError as exc:
            if exc.status == RPCStatusCode.NOT_FOUND:
                raise ApiError(409, "dossier_closed", f"dossier {code} is closed") from None
            raise _engine_error(exc) from None
        await run_in_threadpool(session.commit)
    finally:
        await run_in_threadpool(session.close)
    return CallbackAccepted(dossier_code=code)


def _dossier_of_fee(ctx: ApiContext, reference: str) -> tuple[str, str]:
    with ctx.reads() as session:
        row = session.execute(
            select(DossierRow.workflow_id, DossierRow.dossier_code)
            .join(PaymentRow, PaymentRow.dossier_code == DossierRow.dossier_code)
            .where(PaymentRow.reference == reference)
        ).first()
    if row is None:
        raise not_found(f"fee {reference}")
    return row[0], row[1]


def _use_nonce(session: Session, nonce: str, tolerance_seconds: int) -> None:
    """Record the nonce (flushed, not committed); 409 when it was used before. Nonces older
    than twice the tolerance are pruned: their timestamps would be refused anyway."""
    now = datetime.now(UTC)
    session.execute(
        delete(CallbackNonceRow).where(
            CallbackNonceRow.source == PAYMENT,
            CallbackNonceRow.received_at < now - timedelta(seconds=2 * tolerance_seconds),
        )
    )
    session.add(CallbackNonceRow(source=PAYMENT, nonce=nonce, received_at=now))
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        log.warning("callback.replayed", source=PAYMENT)
        raise ApiError(
            409, "replayed", "this callback was received before (nonce reused)"
        ) from None


# ---------------------------------------------------------------- consultation replies

ConsultationService = Annotated[Service, service("consultation")]


@router.post(
    "/consultations/{reference:path}/reply",
    summary="Reply to a consultation (pushed by the consulted agency's system)",
    responses={
        404: {"description": "No such consultation, or not one addressed to the caller"},
        409: {"description": "The consultation is not waiting for a reply"},
    },
)
async def consultation_reply(
    reference: str, body: ConsultationReply, who: ConsultationService, ctx: ContextDep
) -> ReplyAccepted:
    """The reply of a system-answered consultation branch (reference
    ``{dossier code}/{step}.{branch}``), sooner than the engine would poll for it; whichever
    arrives first is recorded, the other is ignored."""
    code, _, branch_key = reference.partition("/")
    step_id, _, branch_id = branch_key.partition(".")
    row = await run_in_threadpool(_dossier, ctx, code)
    agency = _consulted_agency(ctx, row, step_id, branch_id) if row is not None else None
    if row is None or agency is None or agency not in who.agencies:
        raise not_found(f"consultation {reference}")  # nor reveal one of another agency
    reply = ConsultationReplyInput(reference=reference, service_id=who.id, **body.model_dump())
    try:
        ack = await Dossier(ctx.engine(), row.workflow_id).consultation_replied(reply)
    except CommandRefused as exc:
        raise ApiError(409, "not_waiting", exc.message) from None
    except RPCError as exc:
        raise _engine_error(exc) from None
    return ReplyAccepted(
        reference=reference, dossier_code=code, status=ack.status, message=ack.message
    )


def _dossier(ctx: ApiContext, code: str) -> DossierRow | None:
    with ctx.reads() as session:
        return get_dossier(session, code)


def _consulted_agency(ctx: ApiContext, row: DossierRow, step_id: str, branch_id: str) -> str | None:
    """The agency a system-answered branch of the dossier's pinned procedure consults."""
    try:
        procedure = ctx.catalog.get(row.procedure_code, row.procedure_version)
    except KeyError:
        return None
    for step in procedure.steps:
        if isinstance(step, ConsultStep) and step.id == step_id:
            for branch in step.branches:
                if branch.id == branch_id and branch.answered_by == "system":
                    return branch.agency
    return None


# -------------------------------------------------------------------- population changes

PopulationService = Annotated[Service, service("population")]


@router.post(
    "/population/changes",
    summary="Population-data changes (from the National Population Database)",
    responses={503: {"description": "The engine is unavailable: retry (changes are idempotent)"}},
)
async def population_changes(
    body: Annotated[PopulationChange | list[PopulationChange], Body()],
    who: PopulationService,
    ctx: ContextDep,
) -> ChangesDelivered:
    """Send each change to its applicant's open dossiers: a death before the decision closes
    them (refused, a paid fee refunded), any other change is recorded for the officers. The
    same change (cursor) sent twice is recorded once."""
    changes = body if isinstance(body, list) else [body]
    client = ctx.engine()
    delivered = []
    for change in changes:
        codes = []
        for workflow_id, code in await run_in_threadpool(_open_dossiers, ctx, change.personal_id):
            signal = PopulationChangeInput.model_validate(change.model_dump())
            try:
                await Dossier(client, workflow_id).population_changed(signal)
            except RPCError as exc:
                if exc.status == RPCStatusCode.NOT_FOUND:
                    continue  # closed since the read model last heard of it
                raise _engine_error(exc) from None
            codes.append(code)
        delivered.append(ChangeDelivered(cursor=change.cursor, dossier_codes=codes))
    return ChangesDelivered(changes=delivered)


def _open_dossiers(ctx: ApiContext, personal_id: str) -> list[tuple[str, str]]:
    with ctx.reads() as session:
        rows = session.execute(
            select(DossierRow.workflow_id, DossierRow.dossier_code)
            .where(
                DossierRow.applicant_id == personal_id,
                DossierRow.status.not_in(TERMINAL_STATUSES),
            )
            .order_by(DossierRow.dossier_code)
        )
        return [(workflow_id, code) for workflow_id, code in rows]
