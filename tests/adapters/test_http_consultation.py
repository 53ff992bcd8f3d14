"""The HTTP consultation adapter against the agency simulator: a ticket, then a reply."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from adapters.consultation import ConsultationRequest, ConsultationState
from adapters.errors import NotFound, Rejected
from adapters.http import HttpOptions
from adapters.http.consultation import HttpConsultation
from motcua.simulators import create_simulator, serving


def _request(reference: str, personal_id: str = "001090000123") -> ConsultationRequest:
    return ConsultationRequest(
        reference=reference,
        dossier_code="HS-1",
        from_agency="commune-justice",
        to_agency="commune-police",
        question="Does the applicant reside in the commune?",
        personal_id=personal_id,
    )


@pytest.fixture
async def agency() -> AsyncIterator[HttpConsultation]:
    with serving(create_simulator("agency", reply_after_seconds=0.2)) as url:
        adapter = HttpConsultation(HttpOptions(base_url=url))
        yield adapter
        await adapter.aclose()


async def _answered(adapter: HttpConsultation, reference: str) -> ConsultationState:
    for _ in range(50):
        state = await adapter.reply(reference)
        if state.state == "answered":
            return state
        await asyncio.sleep(0.05)
    raise AssertionError(f"{reference} was never answered")


async def test_pending_then_answered_and_the_ticket_is_given_once(
    agency: HttpConsultation,
) -> None:
    ticket = await agency.send(_request("HS-1/verify/police"))
    again = await agency.send(_request("HS-1/verify/police"))
    pending = await agency.reply("HS-1/verify/police")
    answered = await _answered(agency, "HS-1/verify/police")

    assert again == ticket
    assert ticket.ticket_id == "CT-000001"
    assert (pending.state, pending.reply) == ("pending", None)
    assert answered.reply is not None
    assert answered.reply.outcome == "agree"
    assert answered.reply.officer == "officer@commune-police"
    assert answered.reply.replied_at >= ticket.received_at


async def test_the_agency_objects_for_an_id_ending_in_996(agency: HttpConsultation) -> None:
    await agency.send(_request("R-996", personal_id="001090000996"))
    answered = await _answered(agency, "R-996")

    assert answered.reply is not None
    assert answered.reply.outcome == "object"
    assert answered.reply.comment


async def test_an_unknown_reference_is_not_found(agency: HttpConsultation) -> None:
    with pytest.raises(NotFound, match="no consultation R-unknown"):
        await agency.reply("R-unknown")


async def test_a_request_without_a_question_is_rejected(agency: HttpConsultation) -> None:
    # A client on an older protocol, say: model_construct skips the check the agency makes.
    incomplete = ConsultationRequest.model_construct(  # type: ignore[call-arg]
        reference="R1", dossier_code="HS-1", from_agency="a", to_agency="b"
    )
    with pytest.raises(Rejected, match="HTTP 422"):
        await agency.send(incomplete)
