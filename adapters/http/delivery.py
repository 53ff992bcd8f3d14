"""The reference HTTP result delivery adapter, speaking :mod:`adapters.delivery`'s wire
protocol: ``POST /v1/deposits`` to the e-data store, ``POST /v1/consignments`` to the post.
A counter delivery is handed over in person: no call, a ``COUNTER-<result_id>`` receipt."""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import Field, HttpUrl

from adapters._plugins import AdapterPlugin
from adapters.delivery import DeliveryReceipt, DeliveryRequest
from adapters.http._client import HttpBackend, HttpOptions
from adapters.http._simulator import simulator


class DeliveryOptions(HttpOptions):
    """``base_url`` is the e-data store's; ``post_url`` the postal service's when it differs."""

    post_url: HttpUrl | None = Field(
        default=None, description="Base URL of the postal service (default: base_url)"
    )


class HttpDelivery:
    """A :class:`~adapters.delivery.ResultDelivery` over HTTP; retries are Temporal's job."""

    def __init__(self, options: DeliveryOptions) -> None:
        self._edata = HttpBackend(options, system="e-data store")
        self._post = self._edata
        if options.post_url is not None:
            post = options.model_copy(update={"base_url": options.post_url})
            self._post = HttpBackend(post, system="postal service")

    async def deliver(self, request: DeliveryRequest) -> DeliveryReceipt:
        body = request.model_dump(mode="json")
        if request.channel == "post":
            return await self._post.request("POST", "/v1/consignments", DeliveryReceipt, json=body)
        if request.channel == "counter":
            return DeliveryReceipt(
                result_id=request.result_id,
                channel=request.channel,
                tracking=f"COUNTER-{request.result_id}",
                delivered_at=datetime.now(UTC),
            )
        return await self._edata.request("POST", "/v1/deposits", DeliveryReceipt, json=body)

    async def aclose(self) -> None:
        await self._edata.aclose()
        if self._post is not self._edata:
            await self._post.aclose()


plugin = AdapterPlugin(
    kind="delivery",
    options=DeliveryOptions,
    build=HttpDelivery,
    simulator=simulator("edata"),
    summary="E-data store and postal service over HTTP; simulator: motcua sim edata",
)
