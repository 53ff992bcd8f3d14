"""Payment platform of the national public service portal: requests, refunds, confirmations.

Requests and refunds are idempotent by reference: asking twice never charges or refunds twice.
Confirmations arrive later as signed events (a signal to the dossier's workflow).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field

from adapters.errors import Rejected


class PaymentRequest(BaseModel):
    model_config = ConfigDict(frozen=True)

    reference: str
    amount: int = Field(gt=0)
    currency: str = "VND"
    description: str
    expires_at: datetime


class PaymentOrder(BaseModel):
    model_config = ConfigDict(frozen=True)

    reference: str
    pay_url: str
    created_at: datetime


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
    async def create_request(self, request: PaymentRequest) -> PaymentOrder: ...

    async def refund(self, request: RefundRequest) -> RefundReceipt: ...


class SimulatedPayments:
    """Reference simulator keeping orders and refunds in memory, idempotent by reference."""

    def __init__(self) -> None:
        self.orders: dict[str, PaymentOrder] = {}
        self.refunds: dict[str, RefundReceipt] = {}

    async def create_request(self, request: PaymentRequest) -> PaymentOrder:
        if request.reference not in self.orders:
            self.orders[request.reference] = PaymentOrder(
                reference=request.reference,
                pay_url=f"https://pay.invalid/{request.reference}",
                created_at=datetime.now(UTC),
            )
        return self.orders[request.reference]

    async def refund(self, request: RefundRequest) -> RefundReceipt:
        if not request.transaction_id:
            raise Rejected("a refund needs the transaction it reverses")
        key = f"{request.reference}/{request.transaction_id}"
        if key not in self.refunds:
            self.refunds[key] = RefundReceipt(
                reference=request.reference,
                transaction_id=request.transaction_id,
                refund_id=f"RF-{len(self.refunds) + 1:06d}",
                refunded_at=datetime.now(UTC),
            )
        return self.refunds[key]
