"""Simulator of the notification gateway (SMS, e-mail, app push); protocol in
:mod:`adapters.notification`."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict

from adapters.notification import Notice, NoticeReceipt
from motcua.simulators._app import Knobs, simulator_app


class NotifyOptions(BaseModel):
    """The notify simulator has no options; unknown ones are refused."""

    model_config = ConfigDict(extra="forbid")


class SentMessage(Notice):
    """A notice as the gateway sent it, for ``GET /_sim/messages``."""

    message_id: str
    accepted_at: datetime


class Outbox:
    """Every message sent, and the receipt given for each idempotency key."""

    def __init__(self) -> None:
        self.receipts: dict[str, NoticeReceipt] = {}
        self.sent: list[SentMessage] = []

    def send(self, notice: Notice) -> NoticeReceipt:
        if notice.key in self.receipts:
            return self.receipts[notice.key]
        receipt = NoticeReceipt(
            key=notice.key,
            message_id=f"MSG-{len(self.sent) + 1:06d}",
            channel=notice.channel,
            accepted_at=datetime.now(UTC),
        )
        self.receipts[notice.key] = receipt
        self.sent.append(
            SentMessage(
                **notice.model_dump(),
                message_id=receipt.message_id,
                accepted_at=receipt.accepted_at,
            )
        )
        return receipt


def create_app(
    *, knobs: Knobs | None = None, seed: int = 0, token: str | None = None, **options: Any
) -> FastAPI:
    """The notify simulator: ``POST /v1/messages``, and ``GET /_sim/messages`` to see them."""
    NotifyOptions.model_validate(options)
    app = simulator_app("notification gateway", knobs=knobs, seed=seed, token=token)
    outbox = app.state.outbox = Outbox()

    @app.post("/v1/messages", tags=["protocol"])
    async def send(notice: Notice) -> NoticeReceipt:
        return outbox.send(notice)

    @app.get("/_sim/messages", tags=["admin"])
    async def messages(
        recipient: str | None = None, template: str | None = None
    ) -> list[SentMessage]:
        return [
            m
            for m in outbox.sent
            if (recipient is None or m.recipient == recipient)
            and (template is None or m.template == template)
        ]

    return app
