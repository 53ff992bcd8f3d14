"""Simulator of the portal's payment platform: requests, payments, refunds, signed callbacks.

Speaks the wire protocol of :mod:`adapters.payment` (an order keeps the expiry of the first
request with its reference), plus the citizen's side:
``POST /v1/payment-requests/{reference}/pay`` (optional ``{"transaction_id": ..., "amount": ...}``,
the amount being the requested one unless the citizen pays another) →
:class:`~adapters.payment.PaymentConfirmation`. Paying again with a new transaction id records a
second (duplicate) payment, which the engine refunds. With ``callback_url`` and
``callback_secret``, each payment is POSTed there, signed (:mod:`adapters.signing`).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Annotated, Any, Literal, Self
from urllib.parse import quote

import httpx
import structlog
from fastapi import Body, FastAPI, Request
from pydantic import BaseModel, ConfigDict, Field, HttpUrl, model_validator

from adapters.payment import (
    PaymentConfirmation,
    PaymentOrder,
    PaymentRequest,
    PaymentState,
    RefundReceipt,
    RefundRequest,
)
from adapters.signing import signed_headers
from motcua.simulators._app import Knobs, SimError, simulator_app

log = structlog.get_logger("motcua.simulators.payment")


class PaymentSimOptions(BaseModel):
    """Options of the payment simulator (``motcua sim payment --option KEY=VALUE``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    callback_url: HttpUrl | None = None
    callback_secret: str | None = Field(default=None, min_length=1)
    callback_attempts: int = Field(default=4, ge=1, le=10)

    @model_validator(mode="after")
    def _signed(self) -> Self:
        if self.callback_url is not None and self.callback_secret is None:
            raise ValueError("callback_url needs callback_secret: callbacks are always signed")
        return self


class PayIn(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    transaction_id: str | None = Field(default=None, min_length=1, max_length=128)
    amount: int | None = Field(default=None, gt=0, description="another amount than requested")


@dataclass
class Account:
    """One payment request and what happened to it."""

    request: PaymentRequest
    order: PaymentOrder
    payments: list[PaymentConfirmation] = field(default_factory=list)
    refunds: dict[str, RefundReceipt] = field(default_factory=dict)  # by transaction id

    def expired(self, now: datetime) -> bool:
        return now > self.order.expires_at


class PaymentLedger:
    """The platform's books, idempotent by reference (requests) and transaction (refunds)."""

    def __init__(self) -> None:
        self.accounts: dict[str, Account] = {}
        self._transactions = 0
        self._refunds = 0

    def open(self, request: PaymentRequest, pay_url: str) -> PaymentOrder:
        known = self.accounts.get(request.reference)
        if known is None:
            order = PaymentOrder(
                reference=request.reference,
                pay_url=pay_url,
                created_at=_now(),
                expires_at=_aware(request.expires_at),
            )
            known = self.accounts[request.reference] = Account(request, order)
        elif known.request.amount != request.amount:
            raise SimError(
                409,
                "conflict",
                f"reference {request.reference} was requested for {known.request.amount}",
                {"amount": known.request.amount},
            )
        return known.order

    def account(self, reference: str) -> Account:
        if reference not in self.accounts:
            raise SimError(404, "not_found", f"no payment request {reference}")
        return self.accounts[reference]

    def state(self, reference: str) -> PaymentState:
        account = self.account(reference)
        state: Literal["pending", "paid", "expired", "refunded"] = "pending"
        if account.refunds:
            state = "refunded"
        elif account.payments:
            state = "paid"
        elif account.expired(_now()):
            state = "expired"
        return PaymentState(
            reference=reference,
            amount=account.request.amount,
            state=state,
            payments=account.payments,
        )

    def pay(
        self, reference: str, transaction_id: str | None, amount: int | None = None
    ) -> tuple[PaymentConfirmation, bool]:
        """Record a payment; ``True`` when it is new (a repeated transaction is not)."""
        account = self.account(reference)
        for payment in account.payments:
            if payment.transaction_id == transaction_id:
                return payment, False
        if account.expired(_now()):
            raise SimError(409, "expired", f"payment request {reference} has expired")
        self._transactions += 1
        payment = PaymentConfirmation(
            reference=reference,
            transaction_id=transaction_id or f"TX-{self._transactions:06d}",
            amount=account.request.amount if amount is None else amount,
            paid_at=_now(),
        )
        account.payments.append(payment)
        return payment, True

    def refund(self, request: RefundRequest) -> RefundReceipt:
        account = self.accounts.get(request.reference)
        paid = {p.transaction_id: p for p in account.payments} if account else {}
        if account is None or request.transaction_id not in paid:
            raise SimError(
                409,
                "not_a_payment",
                f"transaction {request.transaction_id} is not a payment of {request.reference}",
            )
        if request.transaction_id in account.refunds:
            return account.refunds[request.transaction_id]
        if request.amount > paid[request.transaction_id].amount:
            raise SimError(409, "refund_exceeds_payment", "a refund cannot exceed the payment")
        self._refunds += 1
        receipt = RefundReceipt(
            reference=request.reference,
            transaction_id=request.transaction_id,
            refund_id=f"RF-{self._refunds:06d}",
            refunded_at=_now(),
        )
        account.refunds[request.transaction_id] = receipt
        return receipt


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(instant: datetime) -> datetime:
    """A naive instant from a client is read as UTC."""
    return instant if instant.tzinfo else instant.replace(tzinfo=UTC)


class SignedCallbacks:
    """Posts signed payment events in the background, retrying with backoff; a failure is
    logged, never raised: the engine reconciles a lost confirmation with ``status``."""

    def __init__(self, url: str, secret: str, *, attempts: int, backoff: float = 0.2) -> None:
        self.url, self.secret, self.attempts, self.backoff = url, secret, attempts, backoff
        self._running: set[asyncio.Task[None]] = set()  # held, or the loop may drop a task

    def send(self, body: bytes, *, about: str) -> None:
        task = asyncio.create_task(self._post(body, about))
        self._running.add(task)
        task.add_done_callback(self._running.discard)

    async def _post(self, body: bytes, reference: str) -> None:
        async with httpx.AsyncClient(timeout=5) as client:
            for attempt in range(1, self.attempts + 1):
                # Signed afresh each time: a receiver refuses a nonce it has already seen.
                signed = signed_headers(self.secret, body, path=httpx.URL(self.url).path)
                headers = {"Content-Type": "application/json", **signed}
                try:
                    answer = await client.post(self.url, content=body, headers=headers)
                    if answer.is_success:
                        return
                    error = f"HTTP {answer.status_code}"
                except httpx.HTTPError as exc:
                    error = f"{type(exc).__name__}: {exc}"
                log.warning(
                    "simulator.callback_failed", reference=reference, attempt=attempt, error=error
                )
                if attempt < self.attempts:
                    await asyncio.sleep(self.backoff * 2 ** (attempt - 1))
        log.error("simulator.callback_abandoned", reference=reference, url=self.url)


def create_app(
    *, knobs: Knobs | None = None, seed: int = 0, token: str | None = None, **options: Any
) -> FastAPI:
    """The payment platform simulator; its books live in ``app.state.ledger``."""
    settings = PaymentSimOptions.model_validate(options)
    app = simulator_app("payment platform", knobs=knobs, seed=seed, token=token)
    ledger = app.state.ledger = PaymentLedger()
    callbacks = None
    if settings.callback_url is not None and settings.callback_secret is not None:
        callbacks = app.state.callbacks = SignedCallbacks(
            str(settings.callback_url),
            settings.callback_secret,
            attempts=settings.callback_attempts,
        )

    @app.post("/v1/payment-requests", tags=["protocol"])
    async def open_request(body: PaymentRequest, request: Request) -> PaymentOrder:
        base = str(request.base_url).rstrip("/")
        pay_url = f"{base}/v1/payment-requests/{quote(body.reference, safe='')}/pay"
        return ledger.open(body, pay_url)

    @app.get("/v1/payment-requests/{reference:path}", tags=["protocol"])
    async def status(reference: str) -> PaymentState:
        return ledger.state(reference)

    @app.post("/v1/refunds", tags=["protocol"])
    async def refund(body: RefundRequest) -> RefundReceipt:
        return ledger.refund(body)

    @app.post("/v1/payment-requests/{reference:path}/pay", tags=["citizen"])
    async def pay(
        reference: str, body: Annotated[PayIn | None, Body()] = None
    ) -> PaymentConfirmation:
        body = body or PayIn()
        payment, new = ledger.pay(reference, body.transaction_id, body.amount)
        if new and callbacks is not None:
            callbacks.send(payment.model_dump_json().encode(), about=reference)
        return payment

    return app


async def pay_fee(
    base_url: str,
    reference: str,
    *,
    transaction_id: str,
    amount: int | None = None,
    wait_seconds: float = 20,
) -> PaymentConfirmation:
    """Play the citizen paying fee ``reference`` at the simulator served at ``base_url``.

    The fee request may still be on its way from the dossier's workflow: wait for it first.
    """
    order = f"{base_url}/v1/payment-requests/{quote(reference, safe='')}"
    async with httpx.AsyncClient() as http:
        deadline = asyncio.get_running_loop().time() + wait_seconds
        while (await http.get(order)).status_code == 404:
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError(f"no payment request {reference} after {wait_seconds} s")
            await asyncio.sleep(0.05)
        pay = {"transaction_id": transaction_id, **({"amount": amount} if amount else {})}
        paid = await http.post(f"{order}/pay", json=pay)
        paid.raise_for_status()
    return PaymentConfirmation.model_validate_json(paid.content)
