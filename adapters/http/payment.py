"""The reference HTTP payment platform adapter, speaking :mod:`adapters.payment`'s wire
protocol: ``POST /v1/payment-requests``, ``GET /v1/payment-requests/{reference}``,
``POST /v1/refunds``. Confirmations come back as signed callbacks, not through this adapter."""

from __future__ import annotations

from urllib.parse import quote

from adapters._plugins import AdapterPlugin
from adapters.http._client import HttpBackend, HttpOptions
from adapters.http._simulator import simulator
from adapters.payment import (
    PaymentOrder,
    PaymentRequest,
    PaymentState,
    RefundReceipt,
    RefundRequest,
)


class HttpPayment:
    """A :class:`~adapters.payment.PaymentPlatform` over HTTP; retries are Temporal's job."""

    def __init__(self, options: HttpOptions) -> None:
        self._backend = HttpBackend(options, system="payment platform")

    async def create_request(self, request: PaymentRequest) -> PaymentOrder:
        """Open the request; the answer must carry the ``expires_at`` the platform holds (an
        answer without it is :class:`~adapters.errors.Misconfigured`: the dossier would not know
        when its fee lapses)."""
        return await self._backend.request(
            "POST", "/v1/payment-requests", PaymentOrder, json=request.model_dump(mode="json")
        )

    async def status(self, reference: str) -> PaymentState:
        path = f"/v1/payment-requests/{quote(reference, safe='')}"
        return await self._backend.request("GET", path, PaymentState)

    async def refund(self, request: RefundRequest) -> RefundReceipt:
        return await self._backend.request(
            "POST", "/v1/refunds", RefundReceipt, json=request.model_dump(mode="json")
        )

    async def aclose(self) -> None:
        await self._backend.aclose()


plugin = AdapterPlugin(
    kind="payment",
    options=HttpOptions,
    build=HttpPayment,
    simulator=simulator("payment"),
    summary="Payment platform of the national portal over HTTP; simulator: motcua sim payment",
)
