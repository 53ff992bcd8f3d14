"""Inter-agency consultation: ask another agency's system a question, collect its reply.

The request is sent by the consulted agency's own worker (task queue ``agency.<id>``), inside its
network. Replies are collected by polling :meth:`Consultation.reply`; a push of the reply to the
engine's API is the same fact arriving sooner.

Wire protocol of the reference HTTP adapter:

- ``POST /v1/consultations`` (:class:`ConsultationRequest`) → :class:`ConsultationTicket`;
  idempotent by reference;
- ``GET  /v1/consultations/{reference}`` → :class:`ConsultationState`, 404 when unknown.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field


class ConsultationRequest(BaseModel):
    model_config = ConfigDict(frozen=True)

    reference: str = Field(description="Unique per dossier, step and branch")
    dossier_code: str
    from_agency: str
    to_agency: str
    question: str
    personal_id: str | None = None  # the person the question is about
    facts: dict[str, str] = Field(default_factory=dict)
    reply_by: datetime | None = None


class ConsultationTicket(BaseModel):
    model_config = ConfigDict(frozen=True)

    reference: str
    ticket_id: str
    received_at: datetime


class ConsultationReply(BaseModel):
    model_config = ConfigDict(frozen=True)

    outcome: Literal["agree", "object"]
    comment: str = ""
    officer: str | None = None
    replied_at: datetime


class ConsultationState(BaseModel):
    model_config = ConfigDict(frozen=True)

    reference: str
    ticket_id: str
    state: Literal["pending", "answered"]
    reply: ConsultationReply | None = None


class Consultation(Protocol):
    async def send(self, request: ConsultationRequest) -> ConsultationTicket:
        """Deliver the question once per reference; a repeated call returns the first ticket."""
        ...

    async def reply(self, reference: str) -> ConsultationState:
        """Whether the agency has answered; raise ``NotFound`` for an unknown reference."""
        ...
