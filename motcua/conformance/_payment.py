"""Contract of a :class:`~adapters.payment.PaymentPlatform` adapter.

The refund checks need a completed payment. The kit completes one through the backend's sandbox
route ``POST /v1/payment-requests/{reference}/pay`` (the payment simulator has it; it is not part
of the adapter protocol) and skips the refund idempotency check when the backend has no such route.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

from adapters.errors import NotFound, Rejected
from adapters.payment import PaymentPlatform, PaymentRequest, RefundRequest
from motcua.conformance._base import Context, Contract, Failed, Skipped, expect, expect_error, same

AMOUNT = 50_000

contract = Contract("payment")


def _adapter(ctx: Context) -> PaymentPlatform:
    adapter: PaymentPlatform = ctx.adapter
    return adapter


VALID_FOR = timedelta(days=1)
# A platform may store the expiry at a coarser resolution than the engine sends it.
EXPIRY_RESOLUTION = timedelta(seconds=1)


def _request(
    reference: str, amount: int = AMOUNT, valid_for: timedelta = VALID_FOR
) -> PaymentRequest:
    return PaymentRequest(
        reference=reference,
        amount=amount,
        description="Lệ phí / fee (motcua conformance kit)",
        expires_at=datetime.now(UTC) + valid_for,
    )


def _same_instant(held: datetime, asked: datetime) -> bool:
    return held.tzinfo is not None and abs(held - asked) <= EXPIRY_RESOLUTION


@contract.check(
    "create", "happy path", "create_request opens an order for the reference, with its expiry"
)
async def create(ctx: Context) -> str:
    reference = ctx.ref("create")
    request = _request(reference)
    order = await _adapter(ctx).create_request(request)
    expect(order.reference == reference, f"reference {reference}", order.reference)
    expect(bool(order.pay_url), "a pay_url", "an empty one")
    expect(
        _same_instant(order.expires_at, request.expires_at),
        f"expires_at {request.expires_at.isoformat()} (the expiry asked for)",
        order.expires_at.isoformat(),
    )
    return f"order {order.reference}, pay at {order.pay_url} until {order.expires_at.isoformat()}"


@contract.check("status", "happy path", "status of a new request is pending, with its amount")
async def status(ctx: Context) -> str:
    reference = ctx.ref("status")
    await _adapter(ctx).create_request(_request(reference))
    state = await _adapter(ctx).status(reference)
    got = f"{state.reference} {state.state} {state.amount}"
    expect(state.reference == reference, f"reference {reference}", got)
    expect(state.state == "pending" and state.amount == AMOUNT, f"pending {AMOUNT}", got)
    return got


@contract.check("status-unknown", "not found", "status of an unknown reference raises NotFound")
async def status_unknown(ctx: Context) -> str:
    return await expect_error(_adapter(ctx).status(ctx.ref("never-created")), NotFound)


@contract.check(
    "create-twice",
    "idempotency",
    "the same request again (a retry, with a later expiry) returns the first order and expiry",
)
async def create_twice(ctx: Context) -> str:
    reference = ctx.ref("create-twice")
    first = await _adapter(ctx).create_request(_request(reference))
    # The engine's retry computes its expiry afresh; the platform keeps the one it accepted.
    second = await _adapter(ctx).create_request(_request(reference, valid_for=2 * VALID_FOR))
    return same(first, second, "order")


@contract.check("refund-twice", "idempotency", "a refund asked twice returns the first receipt")
async def refund_twice(ctx: Context) -> str:
    reference = ctx.ref("refund-twice")
    await _adapter(ctx).create_request(_request(reference))
    transaction_id = await _pay(ctx, reference)
    refund = RefundRequest(
        reference=reference, transaction_id=transaction_id, amount=AMOUNT, reason="withdrawn"
    )
    first = await _adapter(ctx).refund(refund)
    second = await _adapter(ctx).refund(refund)
    expect(first.transaction_id == transaction_id, f"transaction {transaction_id}", first)
    return same(first.refund_id, second.refund_id, "refund id")


@contract.check("conflicting-amount", "rejection", "the same reference, another amount: Rejected")
async def conflicting_amount(ctx: Context) -> str:
    reference = ctx.ref("conflict")
    await _adapter(ctx).create_request(_request(reference))
    return await expect_error(
        _adapter(ctx).create_request(_request(reference, AMOUNT + 1)), Rejected
    )


@contract.check("refund-unknown", "rejection", "a refund of an unknown transaction: Rejected")
async def refund_unknown(ctx: Context) -> str:
    reference = ctx.ref("refund-unknown")
    await _adapter(ctx).create_request(_request(reference))
    refund = RefundRequest(
        reference=reference, transaction_id=ctx.ref("no-such-tx"), amount=AMOUNT, reason="test"
    )
    return await expect_error(_adapter(ctx).refund(refund), Rejected)


async def _pay(ctx: Context, reference: str) -> str:
    """Complete a payment of ``reference`` and return its transaction id as status reports it."""
    if ctx.sandbox is None:
        state = await _adapter(ctx).status(reference)
        if not state.payments:
            raise Skipped("no backend to complete a payment through (not an HTTP adapter)")
        return state.payments[0].transaction_id
    path = f"/v1/payment-requests/{quote(reference, safe='')}/pay"
    answer = await ctx.sandbox.post(path, {"transaction_id": ctx.ref("tx")})
    if answer.status_code in (404, 405) and not _is_problem(answer.content):
        raise Skipped(f"the backend has no sandbox route POST {path} (HTTP {answer.status_code})")
    if answer.status_code >= 400:
        raise Failed(f"the sandbox could not pay {reference}: HTTP {answer.status_code}")
    state = await _adapter(ctx).status(reference)
    expect(bool(state.payments), "a payment in status after paying", state)
    return state.payments[0].transaction_id


def _is_problem(body: bytes) -> bool:
    """True for a protocol error body (``{"code", ...}``): the route exists, the record doesn't."""
    try:
        parsed = json.loads(body)
    except ValueError:
        return False
    return isinstance(parsed, dict) and "code" in parsed


@contract.probe
async def probe(adapter: Any, tag: str) -> object:
    return await adapter.status(f"kit-probe-{tag}")
