"""The payment simulator: idempotent requests and refunds, the citizen paying, signed callbacks."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi import FastAPI, Request, Response
from pydantic import ValidationError
from structlog.testing import capture_logs

from adapters.errors import NotFound, Rejected
from adapters.http import HttpOptions
from adapters.http.payment import HttpPayment
from adapters.payment import PaymentConfirmation, PaymentRequest, RefundRequest
from adapters.signing import BadSignature, verify
from motcua.simulators import create_simulator, serving

SECRET = "callback-secret"
LATER = datetime.now(UTC) + timedelta(days=1)


def _request(reference: str, amount: int = 20_000, expires_at: datetime = LATER) -> PaymentRequest:
    return PaymentRequest(
        reference=reference, amount=amount, description="Lệ phí", expires_at=expires_at
    )


def _refund(reference: str, transaction_id: str, amount: int = 20_000) -> RefundRequest:
    return RefundRequest(
        reference=reference, transaction_id=transaction_id, amount=amount, reason="refused"
    )


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with serving(create_simulator("payment")) as base:
        yield base


@pytest.fixture
async def payment(url: str) -> AsyncIterator[HttpPayment]:
    adapter = HttpPayment(HttpOptions(base_url=url))
    yield adapter
    await adapter.aclose()


def _pay(url: str, reference: str, transaction_id: str | None = None) -> httpx.Response:
    body = {"transaction_id": transaction_id} if transaction_id else None
    return httpx.post(f"{url}/v1/payment-requests/{reference}/pay", json=body)


async def test_the_same_reference_is_the_same_order(payment: HttpPayment) -> None:
    first = await payment.create_request(_request("D-1-FEE"))
    assert first.expires_at == LATER  # the expiry the platform holds, told back
    # A retry computes a later expiry; the platform keeps the one it accepted first.
    retried = await payment.create_request(_request("D-1-FEE", expires_at=LATER + timedelta(1)))
    assert retried == first
    assert first.pay_url.endswith("/v1/payment-requests/D-1-FEE/pay")
    with pytest.raises(Rejected, match=r"requested for 20000 \(HTTP 409\)"):
        await payment.create_request(_request("D-1-FEE", amount=30_000))


async def test_a_payment_then_a_duplicate_then_one_refund(url: str, payment: HttpPayment) -> None:
    await payment.create_request(_request("D-2-FEE"))
    assert (await payment.status("D-2-FEE")).state == "pending"

    paid = PaymentConfirmation.model_validate(_pay(url, "D-2-FEE").json())
    assert _pay(url, "D-2-FEE", paid.transaction_id).json() == paid.model_dump(mode="json")
    duplicate = _pay(url, "D-2-FEE", "BANK-42").json()
    state = await payment.status("D-2-FEE")
    assert state.state == "paid" and state.amount == 20_000
    assert [p.transaction_id for p in state.payments] == [paid.transaction_id, "BANK-42"]
    assert duplicate["amount"] == 20_000

    receipt = await payment.refund(_refund("D-2-FEE", "BANK-42"))
    assert await payment.refund(_refund("D-2-FEE", "BANK-42")) == receipt
    assert receipt.refund_id.startswith("RF-")
    assert (await payment.status("D-2-FEE")).state == "refunded"


async def test_refunds_of_what_was_not_paid_are_rejected(payment: HttpPayment) -> None:
    await payment.create_request(_request("D-3-FEE"))
    with pytest.raises(Rejected, match="not a payment of D-3-FEE"):
        await payment.refund(_refund("D-3-FEE", "TX-NEVER"))
    with pytest.raises(Rejected, match="HTTP 409"):
        await payment.refund(_refund("D-UNKNOWN", "TX-NEVER"))
    with pytest.raises(NotFound, match="no payment request D-UNKNOWN"):
        await payment.status("D-UNKNOWN")


async def test_an_expired_request_cannot_be_paid(url: str, payment: HttpPayment) -> None:
    past = datetime.now(UTC) - timedelta(minutes=1)
    order = await payment.create_request(_request("D-4-FEE", expires_at=past))
    assert order.expires_at == past
    assert (await payment.status("D-4-FEE")).state == "expired"
    # Asking again later does not revive it: the platform holds the first expiry.
    await payment.create_request(_request("D-4-FEE"))
    assert (await payment.status("D-4-FEE")).state == "expired"
    refused = _pay(url, "D-4-FEE")
    assert refused.status_code == 409 and refused.json()["code"] == "expired"


def test_callbacks_must_be_signed() -> None:
    with pytest.raises(ValidationError, match="callback_secret"):
        create_simulator("payment", callback_url="http://127.0.0.1:9/callbacks")


async def test_each_payment_is_called_back_signed_even_after_a_failed_attempt() -> None:
    received: list[tuple[bytes, dict[str, str]]] = []
    attempts: list[int] = []
    receiver = FastAPI()

    @receiver.post("/callbacks/payment")
    async def callback(request: Request) -> Response:
        attempts.append(1)
        if len(attempts) == 1:
            return Response(status_code=503)  # the engine is restarting: the platform retries
        received.append((await request.body(), dict(request.headers)))
        return Response(status_code=204)

    with capture_logs() as logs, serving(receiver) as engine:
        simulator = create_simulator(
            "payment", callback_url=f"{engine}/callbacks/payment", callback_secret=SECRET
        )
        with serving(simulator) as url:
            adapter = HttpPayment(HttpOptions(base_url=url))
            await adapter.create_request(_request("D-5-FEE"))
            await adapter.aclose()
            paid = _pay(url, "D-5-FEE", "BANK-7").json()
            for _ in range(100):  # the callback is sent in the background
                if received:
                    break
                await asyncio.sleep(0.02)

    assert len(attempts) == 2 and len(received) == 1
    failed = [e for e in logs if e["event"] == "simulator.callback_failed"]
    assert [(e["attempt"], e["error"]) for e in failed] == [(1, "HTTP 503")]
    body, headers = received[0]
    assert json.loads(body) == paid
    assert verify(SECRET, body, headers, path="/callbacks/payment")
    with pytest.raises(BadSignature):
        verify(SECRET, body.replace(b"20000", b"2000"), headers, path="/callbacks/payment")
