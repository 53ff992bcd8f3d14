"""Payment platform of the national public service portal: requests, status, refunds.

Requests and refunds are idempotent by reference: asking twice never charges or refunds twice.
Confirmations arrive later as signed events (:mod:`adapters.signing`), which become a signal to
the dossier's workflow; :meth:`PaymentPlatform.status` lets the engine reconcile a lost one.

Wire protocol of the reference HTTP adapter:

- ``POST /v1/payment-requests`` (:class:`PaymentRequest`) → :class:`PaymentOrder`; the same
  reference with a different amount is 409;
- ``GET  /v1/payment-requests/{reference}`` → :class:`PaymentState`, 404 when unknown;
- ``POST /v1/refunds`` (:class:`RefundRequest`) → :class:`RefundReceipt`; 409 when the
  transaction is not a payment of that reference.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field


class PaymentRequest(BaseModel):
    model_config = ConfigDict(frozen=True)

    reference: str = Field(min_length=1, max_length=128)
    amount: int = Field(gt=0)
    currency: str = "VND"
    description: str
    expires_at: datetime
    payer_id: str | None = Field(default=None, description="Payer's personal ID, if known")


class PaymentOrder(BaseModel):
    model_config = ConfigDict(frozen=True)

    reference: str
    pay_url: str
    created_at: datetime


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
        """Open a payment request; the same reference twice returns the first order."""
        ...

    async def status(self, reference: str) -> PaymentState:
        """Where the request stands; raise ``NotFound`` for an unknown reference."""
        ...

    async def refund(self, request: RefundRequest) -> RefundReceipt:
        """Refund one transaction once; a repeated call returns the first receipt."""
        ...
