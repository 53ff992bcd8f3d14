"""Webhook deliveries as a portal receives them: signed, in seq order per dossier, none lost, a
failing dossier holding up only itself, exhausted lines parked until an operator retries them.
Every test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest
from prometheus_client import REGISTRY
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from motcua.dossier import EVENT_ADAPTER
from motcua.outbox import DELIVERY_HEADER, EVENT_HEADER, backlog, create_webhook, unpark
from motcua.store import SubscriptionRow
from tests.outbox.conftest import (
    LIFE,
    Receiver,
    deliveries,
    dispatcher,
    drain,
    project_lives,
    signed_by,
)
from tests.store.factories import Dossier

FULL = list(range(1, len(LIFE) + 1))


def subscribe(
    sessions: sessionmaker[Session],
    url: str,
    *,
    event_types: list[str] | None = None,
    agencies: list[str] | None = None,
) -> tuple[str, str]:
    with sessions.begin() as session:
        row = create_webhook(
            session,
            owner_id="portal-a",
            url=url,
            event_types=event_types or [],
            agencies=agencies or [],
        )
        assert row.secret is not None
        return row.id, row.secret


async def test_events_arrive_signed_and_in_seq_order_per_dossier(
    sessions: sessionmaker[Session], receiver: Receiver
) -> None:
    sub, secret = subscribe(sessions, receiver.hook())
    dossiers = [Dossier(f"000.00.01.H29-260115-000{i}") for i in range(1, 4)]
    project_lives(sessions, dossiers)

    async with dispatcher(sessions) as d:
        await drain(d)

    assert len(receiver.accepted) == 3 * len(LIFE)
    for dossier in dossiers:
        assert receiver.seqs(dossier.code) == FULL
    ids = [r.payload["delivery_id"] for r in receiver.accepted]
    assert len(set(ids)) == len(ids)
    for got in receiver.accepted:
        assert signed_by(secret, got)
        assert got.payload["subscription_id"] == sub
        assert got.headers[DELIVERY_HEADER.lower()] == str(got.payload["delivery_id"])
        assert got.headers[EVENT_HEADER.lower()] == got.event["type"]
        assert (
            got.event["event_id"] == f"dossier-{got.event['dossier_code']}:{got.event['seq']:05d}"
        )
        # The event is the typed model as JSON: a receiver parses it with the same contract.
        assert EVENT_ADAPTER.validate_python(got.event).type == got.event["type"]
    asked = [
        r.event for r in receiver.accepted if r.event["type"] == "dossier.supplement_requested"
    ]
    assert {(e["missing_documents"][0], e["request_number"]) for e in asked} == {("ct01", 1)}
    with sessions() as session:
        (counts,) = backlog(session, [sub])
    assert (counts.pending, counts.parked) == (0, 0)


async def test_a_failing_dossier_waits_alone_then_catches_up_in_order(
    sessions: sessionmaker[Session], receiver: Receiver
) -> None:
    subscribe(sessions, receiver.hook())
    slow, fine = Dossier("000.00.01.H29-260115-0001"), Dossier("000.00.01.H29-260115-0002")
    receiver.failing.add(slow.code)
    project_lives(sessions, [slow, fine])

    async with dispatcher(sessions, max_attempts=1000) as d:
        await drain(d, until=lambda: receiver.seqs(fine.code) == FULL)
        assert receiver.seqs(slow.code) == []
        # Only the slow line's head was tried, again and again: never its later events.
        assert {r.event["seq"] for r in receiver.refused} == {1}

        receiver.failing.clear()
        await drain(d)

    assert receiver.seqs(slow.code) == FULL
    assert receiver.seqs(fine.code) == FULL


async def test_exhausted_attempts_park_the_line_until_an_operator_retries(
    sessions: sessionmaker[Session], receiver: Receiver
) -> None:
    sub, _ = subscribe(sessions, receiver.hook())
    stuck, fine = Dossier("000.00.01.H29-260115-0001"), Dossier("000.00.01.H29-260115-0002")
    receiver.failing.add(stuck.code)
    project_lives(sessions, [stuck, fine])

    async with dispatcher(sessions, max_attempts=3) as d:
        parked_before = _parked_count()
        await drain(d, until=lambda: bool(deliveries(sessions, "parked")))
        await drain(d, until=lambda: receiver.seqs(fine.code) == FULL)
        (parked,) = deliveries(sessions, "parked")
        assert (parked.dossier_code, parked.attempts) == (stuck.code, 3)
        assert "HTTP 503" in (parked.last_error or "")
        assert _parked_count() == parked_before + 1  # what operations staff alert on
        with sessions() as session:
            (counts,) = backlog(session, [sub])
        assert (counts.parked, counts.pending) == (1, len(LIFE) - 1)  # the line stays blocked
        for _ in range(5):
            await d.run_once()
        assert len(receiver.refused) == 3

        receiver.failing.clear()
        with sessions.begin() as session:
            assert unpark(session, sub, dossier_code=stuck.code) == 1
        await drain(d)

    assert receiver.seqs(stuck.code) == FULL
    assert deliveries(sessions, "parked") == []


def _parked_count() -> float:
    value = REGISTRY.get_sample_value(
        "motcua_outbox_deliveries_total", {"target": "webhook", "result": "parked"}
    )
    return value or 0.0


async def test_filters_by_event_type_and_agency(
    sessions: sessionmaker[Session], receiver: Receiver
) -> None:
    subscribe(sessions, receiver.hook("all"))
    subscribe(
        sessions, receiver.hook("ends"), event_types=["dossier.submitted", "dossier.completed"]
    )
    subscribe(sessions, receiver.hook("police"), agencies=["commune-police"])
    police = Dossier("000.00.01.H29-260115-0001", agency="commune-police")
    committee = Dossier("000.00.02.H29-260115-0001", agency="commune-committee")
    project_lives(sessions, [police, committee])

    async with dispatcher(sessions) as d:
        await drain(d)

    assert receiver.seqs(police.code, "all") == FULL
    assert receiver.seqs(committee.code, "all") == FULL
    assert receiver.types("ends") == ["dossier.submitted"] * 2 + ["dossier.completed"] * 2
    assert receiver.seqs(police.code, "police") == FULL
    assert receiver.seqs(committee.code, "police") == []


async def test_a_deactivated_or_later_subscription_gets_nothing_old(
    sessions: sessionmaker[Session], receiver: Receiver
) -> None:
    gone, _ = subscribe(sessions, receiver.hook("gone"))
    with sessions.begin() as session:
        session.execute(
            update(SubscriptionRow).where(SubscriptionRow.id == gone).values(active=False)
        )
    before = Dossier("000.00.01.H29-260115-0001")
    project_lives(sessions, [before])
    subscribe(sessions, receiver.hook("late"))
    after = Dossier("000.00.01.H29-260115-0002")
    project_lives(sessions, [after])

    async with dispatcher(sessions) as d:
        await drain(d)

    assert receiver.types("gone") == []
    assert receiver.seqs(before.code, "late") == []
    assert receiver.seqs(after.code, "late") == FULL


async def test_two_dispatchers_share_the_work_without_duplicates_or_reordering(
    sessions: sessionmaker[Session], receiver: Receiver
) -> None:
    subscribe(sessions, receiver.hook())
    dossiers = [Dossier(f"000.00.01.H29-260115-{i:04d}") for i in range(1, 9)]
    project_lives(sessions, dossiers)

    async with dispatcher(sessions) as one, dispatcher(sessions) as two:
        await drain([one, two])

    ids = [r.payload["delivery_id"] for r in receiver.accepted]
    assert len(ids) == len(set(ids)) == 8 * len(LIFE)
    for dossier in dossiers:
        assert receiver.seqs(dossier.code) == FULL


@pytest.mark.parametrize("store_url", ["postgresql"], indirect=True)
async def test_an_event_still_being_committed_is_not_passed_over(
    sessions: sessionmaker[Session], receiver: Receiver
) -> None:
    """A projection that drew an earlier outbox id but commits later is not lost: the
    dispatcher waits for the hole to fill instead of moving its cursor past it."""
    from motcua.store import project

    subscribe(sessions, receiver.hook())
    early, late = Dossier("000.00.01.H29-260115-0001"), Dossier("000.00.01.H29-260115-0002")
    slow = sessions()
    slow.begin()
    project(slow, events=[early.submitted()])
    project_lives(sessions, [late], types=("dossier.submitted",))

    async with dispatcher(sessions) as d:
        for _ in range(5):
            await d.run_once()
        assert receiver.accepted == []  # the later id waits behind the open transaction
        slow.commit()
        slow.close()
        await drain(d)

    assert receiver.seqs(early.code) == [1]
    assert receiver.seqs(late.code) == [1]
