"""The reference HTTP population database adapter, speaking :mod:`adapters.population`'s
wire protocol: ``GET /v1/citizens/{id}``, ``POST /v1/verifications``, ``GET /v1/changes``."""

from __future__ import annotations

from urllib.parse import quote

from adapters._plugins import AdapterPlugin
from adapters.http._client import HttpBackend, HttpOptions
from adapters.http._simulator import simulator
from adapters.population import ChangeBatch, Citizen, VerifyAnswer, VerifyRequest


class HttpPopulation:
    """A :class:`~adapters.population.PopulationData` over HTTP; retries are Temporal's job."""

    def __init__(self, options: HttpOptions) -> None:
        self._backend = HttpBackend(options, system="population database")

    async def lookup(self, personal_id: str) -> Citizen:
        path = f"/v1/citizens/{quote(personal_id, safe='')}"
        return await self._backend.request("GET", path, Citizen)

    async def verify(self, request: VerifyRequest) -> VerifyAnswer:
        return await self._backend.request(
            "POST", "/v1/verifications", VerifyAnswer, json=request.model_dump(mode="json")
        )

    async def changes(self, after: int = 0, limit: int = 100) -> ChangeBatch:
        params = {"after": after, "limit": limit}
        return await self._backend.request("GET", "/v1/changes", ChangeBatch, params=params)

    async def aclose(self) -> None:
        await self._backend.aclose()


plugin = AdapterPlugin(
    kind="population",
    options=HttpOptions,
    build=HttpPopulation,
    simulator=simulator("population"),
    summary="National Population Database over HTTP; simulator: motcua sim population",
)
