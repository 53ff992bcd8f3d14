"""Issue the electronic result (Decree 118/2025 Art. 22) and deliver it."""

from __future__ import annotations

import hashlib

from temporalio import activity

from activities._errors import call_adapter
from activities.contracts import IssuedResult, IssueRequest
from adapters.delivery import DeliveryReceipt, DeliveryRequest, ResultDelivery


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
