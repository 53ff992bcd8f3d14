"""Simulator of another agency's system answering consultations (court records, police residence
checks...); protocol in :mod:`adapters.consultation`.

The agency answers by itself ``reply_after_seconds`` after receipt, worked out when the state is
read (no background task). The outcome is deterministic so tests and demos reach both: it objects
when the person's ID ends in ``996``, and agrees otherwise. With ``auto_reply`` off an operator
answers through ``POST /_sim/consultations/{reference}/reply``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict, Field

from adapters.consultation import (
    ConsultationReply,
    ConsultationRequest,
    ConsultationState,
    ConsultationTicket,
)
from motcua.simulators._app import Knobs, SimError, simulator_app

OBJECTING_SUFFIX = "996"


class AgencyOptions(BaseModel):
    """``--option`` settings of the agency simulator."""

    model_config = ConfigDict(extra="forbid")

    reply_after_seconds: float = Field(default=1.0, ge=0)
    auto_reply: bool = True


class ManualReply(BaseModel):
    """Body of ``POST /_sim/consultations/{reference}/reply``."""

    model_config = ConfigDict(extra="forbid")

    outcome: Literal["agree", "object"]
    comment: str = ""
    officer: str = "operator"


@dataclass
class _Case:
    request: ConsultationRequest
    ticket: ConsultationTicket
    reply: ConsultationReply | None = None


def _auto_reply(case: _Case, at: datetime) -> ConsultationReply:
    officer = f"officer@{case.request.to_agency}"
    if (case.request.personal_id or "").endswith(OBJECTING_SUFFIX):
        comment = "Không đồng ý: hồ sơ có ghi nhận cần xác minh thêm / objection: records on file"
        return ConsultationReply(outcome="object", comment=comment, officer=officer, replied_at=at)
    comment = "Đồng ý, không có ghi nhận / agreed: nothing on file"
    return ConsultationReply(outcome="agree", comment=comment, officer=officer, replied_at=at)


class Desk:
    """The consultations received, by reference."""

    def __init__(
        self, options: AgencyOptions, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    ) -> None:
        self.options = options
        self.clock = clock
        self.cases: dict[str, _Case] = {}

    def receive(self, request: ConsultationRequest) -> ConsultationTicket:
        if request.reference not in self.cases:
            ticket = ConsultationTicket(
                reference=request.reference,
                ticket_id=f"CT-{len(self.cases) + 1:06d}",
                received_at=self.clock(),
            )
            self.cases[request.reference] = _Case(request, ticket)
        return self.cases[request.reference].ticket

    def state(self, reference: str) -> ConsultationState:
        case = self._case(reference)
        due = case.ticket.received_at + timedelta(seconds=self.options.reply_after_seconds)
        if case.reply is None and self.options.auto_reply and self.clock() >= due:
            case.reply = _auto_reply(case, due)
        return ConsultationState(
            reference=reference,
            ticket_id=case.ticket.ticket_id,
            state="pending" if case.reply is None else "answered",
            reply=case.reply,
        )

    def answer(self, reference: str, manual: ManualReply) -> ConsultationState:
        if self.state(reference).reply is not None:
            raise SimError(409, "already_answered", f"consultation {reference} is already answered")
        self._case(reference).reply = ConsultationReply(
            outcome=manual.outcome,
            comment=manual.comment,
            officer=manual.officer,
            replied_at=self.clock(),
        )
        return self.state(reference)

    def _case(self, reference: str) -> _Case:
        if reference not in self.cases:
            raise SimError(404, "unknown_reference", f"no consultation {reference}")
        return self.cases[reference]


def create_app(
    *, knobs: Knobs | None = None, seed: int = 0, token: str | None = None, **options: Any
) -> FastAPI:
    """The agency simulator.

    Args:
        options: ``reply_after_seconds`` (default 1.0) and ``auto_reply`` (default true), see
            :class:`AgencyOptions`; anything else is refused with a ``ValidationError``.
    """
    desk = Desk(AgencyOptions.model_validate(options))
    app = simulator_app("agency system", knobs=knobs, seed=seed, token=token)
    app.state.desk = desk  # tests and demos reach in, e.g. to move the clock

    @app.post("/v1/consultations", tags=["protocol"])
    async def receive(body: ConsultationRequest) -> ConsultationTicket:
        return desk.receive(body)

    @app.get("/v1/consultations/{reference:path}", tags=["protocol"])
    async def state(reference: str) -> ConsultationState:
        return desk.state(reference)

    @app.post("/_sim/consultations/{reference:path}/reply", tags=["admin"])
    async def reply(reference: str, body: ManualReply) -> ConsultationState:
        return desk.answer(reference, body)

    return app
