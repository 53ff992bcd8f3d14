"""Events in from the payment platform: signed payment callbacks, each a signal to its dossier.

The callback carries no bearer token: the payment platform signs it with HMAC
(:mod:`adapters.signing`), and a nonce seen before is refused, so a tampered, stale or replayed
callback changes nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import structlog
from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, ValidationError
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from temporalio.service import RPCError, RPCStatusCode

from adapters.payment import PaymentConfirmation
from adapters.signing import BadSignature, verify
from motcua.api._context import ApiContext, ContextDep
from motcua.api._errors import ApiError, engine_error, not_found
from motcua.dossier import PaymentEvent, dossier_of_fee_reference
from motcua.engine import Dossier
from motcua.store import CallbackNonceRow, DossierRow, PaymentRow

log = structlog.get_logger("motcua.api.callbacks")
router = APIRouter(tags=["events in"])
PAYMENT = "payment"


class CallbackAccepted(BaseModel):
    model_config = ConfigDict(frozen=True)

    accepted: bool = True
    dossier_code: str


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
        404: {"description": "The reference names no fee or dossier of this engine"},
        409: {
            "description": "Nonce already used (replay), the dossier is closed, or the amount "
            "is not the fee due (the payment is parked for an operator)"
        },
        503: {"description": "The engine is unavailable: retry"},
    },
)
async def payment_callback(request: Request, ctx: ContextDep) -> CallbackAccepted:
    """Hand a payment confirmation to its dossier. Signed with ``X-Motcua-Timestamp``/
    ``-Nonce``/``-Signature`` over the timestamp, nonce, method, path and the raw body's
    SHA-256 (:mod:`adapters.signing`); each nonce is accepted once. The same payment sent again
    with a fresh nonce is answered 200 and counted once by the dossier."""
    body = await request.body()
    settings = ctx.settings
    try:
        nonce = verify(
            settings.callback_key(),
            body,
            request.headers,
            path=request.url.path,
            method=request.method,
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
    due = await run_in_threadpool(_amount_due, ctx, paid.reference)
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
            raise engine_error(exc) from None
        await run_in_threadpool(session.commit)
    finally:
        await run_in_threadpool(session.close)
    if due is not None and paid.amount != due:
        # Handed to the dossier all the same: the workflow refuses it and parks it for an
        # operator (``fee.mismatched``), as it does a mismatch it finds by reconciling.
        log.warning("callback.amount_mismatch", reference=paid.reference, due=due, paid=paid.amount)
        raise ApiError(
            409,
            "amount_mismatch",
            f"{paid.amount} paid, but the fee due is {due}: not accepted as payment of the fee; "
            "the payment is parked for an operator",
            {"reference": paid.reference, "amount_due": due, "amount_paid": paid.amount},
        )
    return CallbackAccepted(dossier_code=code)


def _amount_due(ctx: ApiContext, reference: str) -> int | None:
    """The fee requested under ``reference``; None while the request is not yet projected
    (the workflow checks the amount in any case)."""
    with ctx.reads() as session:
        return session.execute(
            select(PaymentRow.amount).where(PaymentRow.reference == reference)
        ).scalar_one_or_none()


def _dossier_of_fee(ctx: ApiContext, reference: str) -> tuple[str, str]:
    """The workflow id and dossier code a fee reference belongs to; 404 when it names none.

    The payments row is written only when the workflow projects ``fee.requested``, after the
    platform has accepted the request; a citizen can pay in between. The reference names its
    dossier (:func:`~motcua.dossier.fee_reference`), whose row exists from the first projection,
    so the callback is routed by it; the workflow ignores a reference that is not its fee.
    """
    with ctx.reads() as session:
        row = session.execute(
            select(DossierRow.workflow_id, DossierRow.dossier_code)
            .join(PaymentRow, PaymentRow.dossier_code == DossierRow.dossier_code)
            .where(PaymentRow.reference == reference)
        ).first()
        code = dossier_of_fee_reference(reference)
        if row is None and code is not None:
            row = session.execute(
                select(DossierRow.workflow_id, DossierRow.dossier_code).where(
                    DossierRow.dossier_code == code
                )
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
