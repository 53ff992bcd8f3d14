"""Payment platform of the national public service portal: requests, status, refunds.

Requests and refunds are idempotent by reference: asking twice never charges or refunds twice.
Confirmations arrive later as signed events (:mod:`adapters.signing`), which become a signal to
the dossier's workflow; :meth:`PaymentPlatform.status` lets the engine reconcile a lost one.

Wire protocol of the reference HTTP adapter:

- ``POST /v1/payment-requests`` (:class:`PaymentRequest`) → :class:`PaymentOrder`, whose
  ``expires_at`` is the expiry the platform holds; the same reference again returns the first
  order (its first expiry, whatever the later request asked); with a different amount it is 409;
- ``GET  /v1/payment-requests/{reference}`` → :class:`PaymentState`, 404 when unknown;
- ``POST /v1/refunds`` (:class:`RefundRequest`) → :class:`RefundReceipt`; 409 when the
  transaction is not a payment of that reference.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal, Protocol

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field


class PaymentRequest(BaseModel):
    """A fee to open at the platform. The engine sets ``expires_at`` at the moment of each call,
    so a request that reaches the platform after an outage is not already expired."""

    model_config = ConfigDict(frozen=True)

    reference: str = Field(min_length=1, max_length=128)
    amount: int = Field(gt=0)
    currency: str = "VND"
    description: str
    expires_at: datetime = Field(description="Until when the fee can be paid")
    payer_id: str | None = Field(default=None, description="Payer's personal ID, if known")


class PaymentOrder(BaseModel):
    """An open payment request as the platform holds it."""

    model_config = ConfigDict(frozen=True)

    reference: str
    pay_url: str
    created_at: datetime = Field(description="When the platform accepted the request")
    expires_at: AwareDatetime = Field(
        description="Until when the platform takes payments: the expiry of the first request "
        "with this reference, which the engine waits for before the dossier lapses"
    )


class PaymentConfirmation(BaseModel):
    """The body of a signed payment callback; also a paid :class:`PaymentState`'s facts."""

    model_config = ConfigDict(frozen=True)

    reference: str
    transaction_id: str
    amount: int = Field(gt=0)
    paid_at: datetime


class PaymentState(BaseModel):
    model_config = ConfigDict(frozen=True)

    reference: str
    amount: int
    state: Literal["pending", "paid", "expired", "refunded"]
    payments: list[PaymentConfirmation] = Field(default_factory=list)


class RefundRequest(BaseModel):
    model_config = ConfigDict(frozen=True)

    reference: str
    transaction_id: str
    amount: int = Field(gt=0)
    reason: str


class RefundReceipt(BaseModel):
    model_config = ConfigDict(frozen=True)

    reference: str
    transaction_id: str
    refund_id: str
    refunded_at: datetime


class PaymentPlatform(Protocol):
    async def create_request(self, request: PaymentRequest) -> PaymentOrder:
        """Open a payment request; the same reference twice returns the first order.

        The order's ``expires_at`` is the expiry the platform stored, from the first request
        with this reference: a retry after the platform accepted changes nothing.
        """
        ...

    async def status(self, reference: str) -> PaymentState:
        """Where the request stands; raise ``NotFound`` for an unknown reference."""
        ...

    async def refund(self, request: RefundRequest) -> RefundReceipt:
        """Refund one transaction once; a repeated call returns the first receipt."""
        ...
