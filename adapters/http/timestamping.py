"""The reference HTTP timestamping client: ``POST /v1/stamps``, ``GET /v1/key`` (see
:mod:`adapters.timestamping`)."""

from __future__ import annotations

from adapters.http._client import HttpBackend, HttpOptions
from adapters.timestamping import AuthorityKey, StampRequest, TimestampReceipt


class HttpTimestampAuthority:
    """A :class:`~adapters.timestamping.TimestampAuthority` over HTTP."""

    def __init__(self, options: HttpOptions) -> None:
        self._backend = HttpBackend(options, system="timestamping authority")

    async def stamp(self, request: StampRequest) -> TimestampReceipt:
        return await self._backend.request(
            "POST", "/v1/stamps", TimestampReceipt, json=request.model_dump(mode="json")
        )

    async def key(self) -> AuthorityKey:
        return await self._backend.request("GET", "/v1/key", AuthorityKey)

    async def aclose(self) -> None:
        await self._backend.aclose()
