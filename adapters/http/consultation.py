"""The reference HTTP consultation adapter: ``POST /v1/consultations`` and
``GET /v1/consultations/{reference}`` (see :mod:`adapters.consultation`)."""

from __future__ import annotations

from urllib.parse import quote

from adapters._plugins import AdapterPlugin
from adapters.consultation import ConsultationRequest, ConsultationState, ConsultationTicket
from adapters.http._client import HttpBackend, HttpOptions
from adapters.http._simulator import simulator


class HttpConsultation:
    """A :class:`~adapters.consultation.Consultation` over HTTP; retries are Temporal's job."""

    def __init__(self, options: HttpOptions) -> None:
        self._backend = HttpBackend(options, system="agency system")

    async def send(self, request: ConsultationRequest) -> ConsultationTicket:
        return await self._backend.request(
            "POST", "/v1/consultations", ConsultationTicket, json=request.model_dump(mode="json")
        )

    async def reply(self, reference: str) -> ConsultationState:
        path = f"/v1/consultations/{quote(reference, safe='')}"
        return await self._backend.request("GET", path, ConsultationState)

    async def aclose(self) -> None:
        await self._backend.aclose()


plugin = AdapterPlugin(
    kind="consultation",
    options=HttpOptions,
    build=HttpConsultation,
    simulator=simulator("agency"),
    summary="Another agency's consultation desk over HTTP; simulator: motcua sim agency",
)
