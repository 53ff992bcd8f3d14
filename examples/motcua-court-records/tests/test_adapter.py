"""The adapter against the court sandbox, over real HTTP on loopback."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from adapters.consultation import ConsultationRequest, ConsultationState
from adapters.errors import Misconfigured, NotFound, Rejected, Transient
from motcua.simulators import serving

from motcua_court_records import CourtRecordsAdapter, CourtRecordsOptions, create_app, plugin


def _request(reference: str, personal_id: str | None = "001090000123") -> ConsultationRequest:
    return ConsultationRequest(
        reference=reference,
        dossier_code="000.00.01.H29-260115-0001",
        from_agency="provincial-justice",
        to_agency="provincial-court",
        question="Does the applicant have a criminal record?",
        personal_id=personal_id,
    )


@pytest.fixture
def sandbox() -> Iterator[str]:
    """A fresh sandbox per test (knobs and checks do not leak), closing checks after 0.2 s."""
    with serving(create_app(close_after_seconds=0.2)) as url:
        yield url


@pytest.fixture
async def court(sandbox: str) -> AsyncIterator[CourtRecordsAdapter]:
    adapter = CourtRecordsAdapter(CourtRecordsOptions(base_url=sandbox, court_code="TAND-HN"))
    yield adapter
    await adapter.aclose()


async def _answered(court: CourtRecordsAdapter, reference: str) -> ConsultationState:
    for _ in range(50):
        state = await court.reply(reference)
        if state.state == "answered":
            return state
        await asyncio.sleep(0.05)
    raise AssertionError(f"{reference} was never answered")


async def test_the_same_reference_gets_the_same_ticket(court: CourtRecordsAdapter) -> None:
    first = await court.send(_request("HS-1/verify/court"))
    again = await court.send(_request("HS-1/verify/court"))
    other = await court.send(_request("HS-2/verify/court"))

    assert again == first
    assert (first.reference, first.ticket_id) == ("HS-1/verify/court", "RC-000001")
    assert other.ticket_id == "RC-000002"


async def test_pending_then_answered_agree_when_nothing_is_on_file(
    court: CourtRecordsAdapter,
) -> None:
    ticket = await court.send(_request("HS-1/verify/court"))
    pending = await court.reply("HS-1/verify/court")
    answered = await _answered(court, "HS-1/verify/court")

    assert (pending.state, pending.reply, pending.ticket_id) == ("pending", None, ticket.ticket_id)
    assert answered.reply is not None
    assert answered.reply.outcome == "agree"
    assert answered.reply.officer == "Thư ký Nguyễn Thị Lan (TAND-HN)"
    assert answered.reply.replied_at >= ticket.received_at


async def test_a_record_found_is_an_objection_quoting_the_judgment(
    court: CourtRecordsAdapter,
) -> None:
    await court.send(_request("HS-9", personal_id="001090000996"))
    answered = await _answered(court, "HS-9")

    assert answered.reply is not None
    assert answered.reply.outcome == "object"
    assert answered.reply.comment.startswith("Bản án số 57/2019/HS-ST")


async def test_an_unknown_reference_is_not_found(court: CourtRecordsAdapter) -> None:
    with pytest.raises(NotFound, match="no record check HS-unknown"):
        await court.reply("HS-unknown")


async def test_a_request_without_a_personal_id_is_rejected(court: CourtRecordsAdapter) -> None:
    with pytest.raises(Rejected, match="personal_id"):
        await court.send(_request("HS-3", personal_id=None))


async def test_an_outage_is_transient(sandbox: str, court: CourtRecordsAdapter) -> None:
    await court.send(_request("HS-1"))
    httpx.put(f"{sandbox}/_sim/knobs", json={"outage": True}).raise_for_status()

    with pytest.raises(Transient, match="HTTP 503"):
        await court.reply("HS-1")
    with pytest.raises(Transient, match="HTTP 503"):
        await court.send(_request("HS-2"))


async def test_a_wrong_base_url_is_misconfigured_not_not_found(sandbox: str) -> None:
    # A 404 from a path the court does not serve has no {"code": ...} body: an operator must fix
    # base_url; the citizen must not be told the court has no such check.
    adapter = plugin.create({"base_url": f"{sandbox}/wrong-prefix"})
    try:
        with pytest.raises(Misconfigured, match="no such endpoint"):
            await adapter.reply("HS-1")
    finally:
        await adapter.aclose()
