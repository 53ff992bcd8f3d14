"""Notifications to citizens and officers: SMS, e-mail, app push (VNeID, the portal's app).

Wire protocol of the reference HTTP adapter:

- ``POST /v1/messages`` (:class:`Notice`) → :class:`NoticeReceipt`; the same key twice returns
  the first receipt and sends nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field


class Notice(BaseModel):
    model_config = ConfigDict(frozen=True)

    key: str  # idempotency key: one notice per key
    audience: Literal["citizen", "officer"]
    recipient: str  # dossier code for a citizen, role@agency for officers
    template: str  # e.g. receipt_slip, supplement_request, apology_extension
    facts: dict[str, str] = Field(default_factory=dict)
    channel: Literal["app", "sms", "email"] = "app"


class NoticeReceipt(BaseModel):
    model_config = ConfigDict(frozen=True)

    key: str
    message_id: str
    channel: str
    accepted_at: datetime


class Notifier(Protocol):
    async def send(self, notice: Notice) -> NoticeReceipt:
        """Send once per key; a repeated call returns the first receipt."""
        ...
