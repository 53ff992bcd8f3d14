"""The reference HTTP portal sync: ``PUT /v1/dossiers/{code}/status`` (:mod:`adapters.portal`)."""

from __future__ import annotations

from urllib.parse import quote

from adapters._plugins import AdapterPlugin
from adapters.http._client import HttpBackend, HttpOptions
from adapters.http._simulator import simulator
from adapters.portal import PortalAck, PortalStatus


class HttpPortal:
    """A :class:`~adapters.portal.PortalSync` over HTTP; retries are Temporal's job."""

    def __init__(self, options: HttpOptions) -> None:
        self._backend = HttpBackend(options, system="public service portal")

    async def push_status(self, status: PortalStatus) -> PortalAck:
        path = f"/v1/dossiers/{quote(status.dossier_code, safe='')}/status"
        return await self._backend.request(
            "PUT", path, PortalAck, json=status.model_dump(mode="json")
        )

    async def aclose(self) -> None:
        await self._backend.aclose()


plugin = AdapterPlugin(
    kind="portal",
    options=HttpOptions,
    build=HttpPortal,
    simulator=simulator("portal"),
    summary="National public service portal status sync over HTTP; simulator: motcua sim portal",
)
