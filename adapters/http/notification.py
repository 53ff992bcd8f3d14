"""The reference HTTP notifier: ``POST /v1/messages`` (see :mod:`adapters.notification`)."""

from __future__ import annotations

from adapters._plugins import AdapterPlugin
from adapters.http._client import HttpBackend, HttpOptions
from adapters.http._simulator import simulator
from adapters.notification import Notice, NoticeReceipt


class HttpNotifier:
    """A :class:`~adapters.notification.Notifier` over HTTP; retries are Temporal's job."""

    def __init__(self, options: HttpOptions) -> None:
        self._backend = HttpBackend(options, system="notification gateway")

    async def send(self, notice: Notice) -> NoticeReceipt:
        return await self._backend.request(
            "POST", "/v1/messages", NoticeReceipt, json=notice.model_dump(mode="json")
        )

    async def aclose(self) -> None:
        await self._backend.aclose()


plugin = AdapterPlugin(
    kind="notification",
    options=HttpOptions,
    build=HttpNotifier,
    simulator=simulator("notify"),
    summary="Notification gateway over HTTP (SMS, e-mail, app push); simulator: motcua sim notify",
)
