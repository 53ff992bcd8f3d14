"""Result delivery: the citizen's e-data store, the postal service, or the counter."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol

from pydantic import BaseModel, ConfigDict


class DeliveryRequest(BaseModel):
    model_config = ConfigDict(frozen=True)

    result_id: str
    result_code: str
    channel: str
    document_hash: str


class DeliveryReceipt(BaseModel):
    model_config = ConfigDict(frozen=True)

    result_id: str
    channel: str
    tracking: str
    delivered_at: datetime


class ResultDelivery(Protocol):
    async def deliver(self, request: DeliveryRequest) -> DeliveryReceipt:
        """Deliver once per (result, channel); a repeated call returns the first receipt."""
        ...


class SimulatedDelivery:
    def __init__(self) -> None:
        self.receipts: dict[tuple[str, str], DeliveryReceipt] = {}

    async def deliver(self, request: DeliveryRequest) -> DeliveryReceipt:
        key = (request.result_id, request.channel)
        if key not in self.receipts:
            self.receipts[key] = DeliveryReceipt(
                result_id=request.result_id,
                channel=request.channel,
                tracking=f"{request.channel.upper()}-{len(self.receipts) + 1:06d}",
                delivered_at=datetime.now(UTC),
            )
        return self.receipts[key]
