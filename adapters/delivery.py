"""Result delivery: the citizen's e-data store, the postal service, or the counter.

Wire protocol of the reference HTTP adapter (one delivery per ``(result_id, channel)``):

- ``POST /v1/deposits`` (e-data store; :class:`DeliveryRequest`) → :class:`DeliveryReceipt`;
- ``POST /v1/consignments`` (postal service; needs ``address``) → :class:`DeliveryReceipt`.

A counter delivery is handed over in person and needs no external call.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict


class DeliveryRequest(BaseModel):
    model_config = ConfigDict(frozen=True)

    result_id: str
    result_code: str
    channel: Literal["e_data_store", "post", "counter"]
    document_hash: str
    personal_id: str | None = None  # the e-data store's owner
    address: str | None = None  # where the post delivers


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
