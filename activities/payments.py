"""Fee requests, reconciliation and refunds through the payment platform, idempotent by
reference."""

from __future__ import annotations

from temporalio import activity

from activities._errors import call_adapter
from adapters.payment import (
    PaymentOrder,
    PaymentPlatform,
    PaymentRequest,
    PaymentState,
    RefundReceipt,
    RefundRequest,
)


class PaymentActivities:
    def __init__(self, platform: PaymentPlatform) -> None:
        self._platform = platform

    @activity.defn(name="motcua.request_payment")
    async def request_payment(self, request: PaymentRequest) -> PaymentOrder:
        return await call_adapter(
            "payment", "create_request", self._platform.create_request(request)
        )

    @activity.defn(name="motcua.payment_status")
    async def payment_status(self, reference: str) -> PaymentState:
        return await call_adapter("payment", "status", self._platform.status(reference))

    @activity.defn(name="motcua.refund_payment")
    async def refund_payment(self, request: RefundRequest) -> RefundReceipt:
        return await call_adapter("payment", "refund", self._platform.refund(request))
