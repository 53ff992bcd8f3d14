"""Fee requests, reconciliation and refunds through the payment platform, idempotent by
reference."""

from __future__ import annotations

from temporalio import activity

from activities._errors import call_adapter
from activities.contracts import FeeRequest
from adapters.payment import (
    PaymentOrder,
    PaymentPlatform,
    PaymentState,
    RefundReceipt,
    RefundRequest,
)


class PaymentActivities:
    def __init__(self, platform: PaymentPlatform) -> None:
        self._platform = platform

    @activity.defn(name="motcua.request_payment")
    async def request_payment(self, fee: FeeRequest) -> PaymentOrder:
        """Open the fee at the platform, its expiry counted from this attempt.

        "Now" is the attempt's start as the Temporal server stamped it: the clock the
        workflow's lapse timer runs on (wall time in production, virtual time on the
        time-skipping test server), taken afresh by every retry.

        Returns:
            The platform's order; its ``expires_at`` is the expiry the platform holds (from the
            first attempt it accepted, as the platform is idempotent by reference).
        """
        request = fee.at(activity.info().started_time)
        return await call_adapter(
            "payment", "create_request", self._platform.create_request(request)
        )

    @activity.defn(name="motcua.payment_status")
    async def payment_status(self, reference: str) -> PaymentState:
        return await call_adapter("payment", "status", self._platform.status(reference))

    @activity.defn(name="motcua.refund_payment")
    async def refund_payment(self, request: RefundRequest) -> RefundReceipt:
        return await call_adapter("payment", "refund", self._platform.refund(request))
