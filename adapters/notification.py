"""Notifications to citizens and officers: SMS, e-mail, app push."""

from __future__ import annotations

from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict


class Notice(BaseModel):
    model_config = ConfigDict(frozen=True)

    key: str  # idempotency key: one notice per key
    audience: Literal["citizen", "officer"]
    recipient: str  # dossier code for a citizen, role@agency for officers
    template: str  # e.g. receipt_slip, supplement_request, apology_extension
    facts: dict[str, str] = {}


class Notifier(Protocol):
    async def send(self, notice: Notice) -> None: ...


class SimulatedNotifier:
    """Keeps sent notices in memory, once per key."""

    def __init__(self) -> None:
        self.sent: dict[str, Notice] = {}

    async def send(self, notice: Notice) -> None:
        self.sent.setdefault(notice.key, notice)
