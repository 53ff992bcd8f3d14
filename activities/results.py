"""Issue the electronic result (Decree 118/2025 Art. 22) and deliver it."""

from __future__ import annotations

import hashlib

from pydantic import BaseModel, ConfigDict
from temporalio import activity

from activities._errors import call_adapter
from adapters.delivery import DeliveryReceipt, DeliveryRequest, ResultDelivery


class IssueRequest(BaseModel):
    model_config = ConfigDict(frozen=True)

    dossier_code: str
    personal_id: str
    result_type: str
    result_type_code: str


class IssuedResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    result_id: str
    result_code: str  # personal ID + result-type code (Art. 22)
    document_hash: str


@activity.defn(name="motcua.issue_result")
async def issue_result(request: IssueRequest) -> IssuedResult:
    # The signed document is represented by its hash; a signing service adapter plugs in here.
    document = f"{request.dossier_code}|{request.result_type}|{request.personal_id}"
    return IssuedResult(
        result_id=f"{request.dossier_code}/{request.result_type}",
        result_code=f"{request.personal_id}{request.result_type_code}",
        document_hash=hashlib.sha256(document.encode()).hexdigest(),
    )


class ResultActivities:
    def __init__(self, delivery: ResultDelivery) -> None:
        self._delivery = delivery

    @activity.defn(name="motcua.deliver_result")
    async def deliver_result(self, request: DeliveryRequest) -> DeliveryReceipt:
        return await call_adapter("delivery", request.channel, self._delivery.deliver(request))
