"""Simulator of result delivery: the citizen's e-data store and the postal service.

Speaks the wire protocol of :mod:`adapters.delivery`: ``POST /v1/deposits`` (needs
``personal_id``) and ``POST /v1/consignments`` (needs ``address``), one delivery per
``(result_id, channel)``. Admin: ``GET /_sim/deliveries`` → every :class:`Delivered`, in order.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict

from adapters.delivery import DeliveryReceipt, DeliveryRequest
from motcua.simulators._app import Knobs, SimError, simulator_app


class Delivered(BaseModel):
    """What was handed over, and the receipt given for it."""

    model_config = ConfigDict(frozen=True)

    request: DeliveryRequest
    receipt: DeliveryReceipt


class DeliveryDesk:
    """Deliveries by ``(result_id, channel)``; tracking numbers count per service."""

    def __init__(self) -> None:
        self.delivered: dict[tuple[str, str], Delivered] = {}
        self._counts: dict[str, int] = {}

    def deliver(self, request: DeliveryRequest, *, prefix: str) -> DeliveryReceipt:
        key = (request.result_id, request.channel)
        if key not in self.delivered:
            self._counts[prefix] = self._counts.get(prefix, 0) + 1
            receipt = DeliveryReceipt(
                result_id=request.result_id,
                channel=request.channel,
                tracking=f"{prefix}-{self._counts[prefix]:06d}",
                delivered_at=datetime.now(UTC),
            )
            self.delivered[key] = Delivered(request=request, receipt=receipt)
        return self.delivered[key].receipt


def _require(request: DeliveryRequest, *, channel: str, field: str, service: str) -> None:
    if request.channel != channel:
        raise SimError(
            422,
            "wrong_channel",
            f"the {service} takes {channel!r} deliveries, not {request.channel!r}",
        )
    if not getattr(request, field):
        raise SimError(422, f"missing_{field}", f"a delivery by the {service} needs {field}")


def create_app(
    *, knobs: Knobs | None = None, seed: int = 0, token: str | None = None, **options: Any
) -> FastAPI:
    """The e-data store and postal service simulator; its state lives in ``app.state.desk``."""
    if options:
        raise TypeError(f"the edata simulator takes no options: {', '.join(options)}")
    app = simulator_app("result delivery", knobs=knobs, seed=seed, token=token)
    desk = app.state.desk = DeliveryDesk()

    @app.post("/v1/deposits", tags=["protocol"])
    async def deposit(request: DeliveryRequest) -> DeliveryReceipt:
        _require(request, channel="e_data_store", field="personal_id", service="e-data store")
        return desk.deliver(request, prefix="EDATA")

    @app.post("/v1/consignments", tags=["protocol"])
    async def consign(request: DeliveryRequest) -> DeliveryReceipt:
        _require(request, channel="post", field="address", service="postal service")
        return desk.deliver(request, prefix="POST")

    @app.get("/_sim/deliveries", tags=["admin"])
    async def deliveries() -> list[Delivered]:
        return list(desk.delivered.values())

    return app
