"""Contract of a :class:`~adapters.consultation.Consultation` adapter."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from adapters.consultation import Consultation, ConsultationRequest
from adapters.errors import NotFound
from motcua.conformance._base import Context, Contract, Failed, expect, expect_error, same

REPLY_WITHIN_SECONDS = 5.0  # the simulator answers after 1 s; a sandbox may set its own pace

contract = Contract("consultation")


def _adapter(ctx: Context) -> Consultation:
    adapter: Consultation = ctx.adapter
    return adapter


def _request(reference: str) -> ConsultationRequest:
    return ConsultationRequest(
        reference=reference,
        dossier_code="000.00.01.H29-260115-0001",
        from_agency="commune-police",
        to_agency="provincial-court",
        question="Does the person have a criminal record?",
        personal_id="001099012345",
    )


@contract.check("send", "happy path", "send returns a ticket for the reference")
async def send(ctx: Context) -> str:
    request = _request(ctx.ref("send"))
    ticket = await _adapter(ctx).send(request)
    expect(ticket.reference == request.reference, f"reference {request.reference}", ticket)
    expect(bool(ticket.ticket_id), "a ticket_id", "an empty one")
    return f"ticket {ticket.ticket_id}"


@contract.check(
    "reply", "happy path", f"a sent question is answered within {REPLY_WITHIN_SECONDS:g} s"
)
async def reply(ctx: Context) -> str:
    request = _request(ctx.ref("reply"))
    ticket = await _adapter(ctx).send(request)
    started = time.monotonic()
    while True:
        state = await _adapter(ctx).reply(request.reference)
        expect(state.ticket_id == ticket.ticket_id, f"ticket {ticket.ticket_id}", state.ticket_id)
        if state.state == "answered":
            expect(state.reply is not None, "a reply with the answered state", state)
            assert state.reply is not None  # for mypy: checked just above
            waited = time.monotonic() - started
            return f"answered {state.reply.outcome!r} after {waited:.1f} s"
        if time.monotonic() - started > REPLY_WITHIN_SECONDS:
            raise Failed(f"expected an answer within {REPLY_WITHIN_SECONDS:g} s; still pending")
        await asyncio.sleep(0.2)


@contract.check("reply-unknown", "not found", "reply of an unknown reference raises NotFound")
async def reply_unknown(ctx: Context) -> str:
    return await expect_error(_adapter(ctx).reply(ctx.ref("never-sent")), NotFound)


@contract.check("send-twice", "idempotency", "the same reference twice returns the first ticket")
async def send_twice(ctx: Context) -> str:
    request = _request(ctx.ref("twice"))
    first = await _adapter(ctx).send(request)
    second = await _adapter(ctx).send(request)
    return same(first.ticket_id, second.ticket_id, "ticket id")


@contract.probe
async def probe(adapter: Any, tag: str) -> object:
    return await adapter.reply(f"kit-probe-{tag}")
