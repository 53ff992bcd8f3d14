"""Issue the electronic result (Decree 118/2025 Art. 22) and deliver it."""

from __future__ import annotations

from temporalio import activity

from activities._errors import call_adapter
from activities.contracts import IssuedResult, IssueRequest
from activities.evidence import EvidenceHasher
from adapters.delivery import DeliveryReceipt, DeliveryRequest, ResultDelivery
from motcua.dossier import result_code


class ResultIssuer:
    """Issues results; holds the evidence pepper that keys the document hash."""

    def __init__(self, hasher: EvidenceHasher) -> None:
        self._hash = hasher.digest

    @activity.defn(name="motcua.issue_result")
    async def issue_result(self, request: IssueRequest) -> IssuedResult:
        """Issue the dossier's electronic result and its result code
        (:func:`motcua.dossier.result_code`, Decree 118/2025 Art. 22). Both are derived from
        the request only, so a retried activity returns the same.

        Args:
            request: The dossier, its applicant and the result step's type.

        Returns:
            The result's id, code and document hash (keyed: the document names the person).
        """
        # The signed document is represented by its hash; a signing service adapter plugs in.
        document = (request.dossier_code, request.result_type, request.personal_id)
        return IssuedResult(
            result_id=f"{request.dossier_code}/{request.result_type}",
            result_code=result_code(
                personal_id=request.personal_id,
                result_type_code=request.result_type_code,
                dossier_code=request.dossier_code,
            ),
            document_hash=self._hash("document", *document),
        )


class ResultActivities:
    def __init__(self, delivery: ResultDelivery) -> None:
        self._delivery = delivery

    @activity.defn(name="motcua.deliver_result")
    async def deliver_result(self, request: DeliveryRequest) -> DeliveryReceipt:
        return await call_adapter("delivery", request.channel, self._delivery.deliver(request))
