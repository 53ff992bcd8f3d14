"""National-portal status sync through the portal adapter, received by the portal simulator:
statuses arrive in seq order, the portal holds the latest snapshot, a repeated push changes
nothing, an outage only delays, and an agency with its own portal adapter gets its dossiers."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import httpx
import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from adapters import AdaptersConfig
from adapters.portal import PortalAck, PortalStatus
from motcua.outbox import PORTAL_SUBSCRIPTION, backlog
from motcua.simulators import KIND_OF, create_simulator, serving
from motcua.store import DeliveryRow
from tests.outbox.conftest import LIFE, STATUS_AFTER, deliveries, dispatcher, drain, project_lives
from tests.store.factories import T0, Dossier


@dataclass
class Portal:
    url: str
    pushes: list[PortalStatus] = field(default_factory=list)
    acks: list[PortalAck] = field(default_factory=list)

    def seqs(self, code: str) -> list[int]:
        return [p.seq for p in self.pushes if p.dossier_code == code]

    def held(self, code: str) -> dict[str, object]:
        answer = httpx.get(f"{self.url}/v1/dossiers/{code}/status")
        assert answer.status_code == 200, answer.text
        held: dict[str, object] = answer.json()
        return held

    def knobs(self, **values: object) -> None:
        httpx.put(f"{self.url}/_sim/knobs", json=values).raise_for_status()


@contextmanager
def portal_simulator() -> Iterator[Portal]:
    app = create_simulator("portal")
    board = app.state.board
    push = board.push
    with serving(app) as url:
        portal = Portal(url)

        def recording(status: PortalStatus) -> PortalAck:
            portal.pushes.append(status)
            ack = push(status)
            portal.acks.append(ack)
            return ack

        board.push = recording
        yield portal


def config(national: str, **own: str) -> AdaptersConfig:
    """Every adapter kind at the portal simulator (only the portal is called), and agencies
    with their own portal adapter."""
    return AdaptersConfig.model_validate(
        {
            "defaults": {
                kind: {"plugin": "http", "base_url": national} for kind in KIND_OF.values()
            },
            "agencies": {a: {"portal": {"plugin": "http", "base_url": u}} for a, u in own.items()},
        }
    )


@pytest.fixture
def portal() -> Iterator[Portal]:
    with portal_simulator() as found:
        yield found


async def test_statuses_reach_the_portal_in_order_and_a_repeat_is_harmless(
    sessions: sessionmaker[Session], portal: Portal
) -> None:
    dossiers = [Dossier("000.00.01.H29-260115-0001"), Dossier("000.00.01.H29-260115-0002")]
    async with dispatcher(sessions, adapters_config=config(portal.url)) as d:
        for type_ in LIFE:  # the dispatcher keeps up with the dossiers as they move
            project_lives(sessions, dossiers, types=(type_,))
            await drain(d)

        for dossier in dossiers:
            assert portal.seqs(dossier.code) == list(range(1, len(LIFE) + 1))
            pushed = [p.status for p in portal.pushes if p.dossier_code == dossier.code]
            assert pushed == [STATUS_AFTER[t] for t in LIFE]
            held = portal.held(dossier.code)
            assert (held["seq"], held["status"]) == (len(LIFE), "completed")
            assert held["agency_code"] == "000.00.01.H29"
        assert all(ack.applied for ack in portal.acks)

        # An acknowledgement lost: everything is pushed again, and the portal ignores it.
        with sessions.begin() as session:
            session.execute(update(DeliveryRow).values(status="pending", next_attempt_at=T0))
        acks_before = len(portal.acks)
        await drain(d)

    assert portal.acks[acks_before:] and not any(a.applied for a in portal.acks[acks_before:])
    for dossier in dossiers:
        assert (portal.held(dossier.code)["seq"], portal.held(dossier.code)["status"]) == (
            len(LIFE),
            "completed",
        )


async def test_a_backlog_goes_out_as_one_push_of_the_latest_snapshot(
    sessions: sessionmaker[Session], portal: Portal
) -> None:
    dossier = Dossier("000.00.01.H29-260115-0001")
    project_lives(sessions, [dossier])

    async with dispatcher(sessions, adapters_config=config(portal.url)) as d:
        await drain(d)

    assert portal.seqs(dossier.code) == [len(LIFE)]
    assert portal.held(dossier.code)["status"] == "completed"
    with sessions() as session:
        (counts,) = backlog(session, [PORTAL_SUBSCRIPTION])
    assert (counts.pending, counts.parked) == (0, 0)
    assert len(deliveries(sessions, "delivered")) == len(LIFE)


async def test_a_portal_outage_only_delays_the_sync(
    sessions: sessionmaker[Session], portal: Portal
) -> None:
    dossier = Dossier("000.00.01.H29-260115-0001")
    portal.knobs(outage=True)
    project_lives(sessions, [dossier], types=LIFE[:2])

    async with dispatcher(sessions, adapters_config=config(portal.url), max_attempts=1000) as d:
        await drain(d, until=lambda: any(r.attempts >= 3 for r in deliveries(sessions, "pending")))
        assert portal.pushes == []
        (waiting, *_) = deliveries(sessions, "pending")
        assert "Transient" in (waiting.last_error or "")

        portal.knobs(outage=False)
        project_lives(sessions, [dossier], types=LIFE[2:])
        await drain(d)

    held = portal.held(dossier.code)
    assert (held["seq"], held["status"]) == (len(LIFE), "completed")
    assert portal.seqs(dossier.code) == sorted(portal.seqs(dossier.code))


async def test_an_agency_with_its_own_portal_adapter_syncs_there(
    sessions: sessionmaker[Session], portal: Portal
) -> None:
    police = Dossier("000.00.01.H29-260115-0001", agency="commune-police")
    committee = Dossier("000.00.02.H29-260115-0001", agency="commune-committee")
    project_lives(sessions, [police, committee])

    with portal_simulator() as provincial:
        adapters = config(portal.url, **{"commune-committee": provincial.url})
        async with dispatcher(sessions, adapters_config=adapters) as d:
            await drain(d)

    assert portal.seqs(police.code) == [len(LIFE)]
    assert portal.seqs(committee.code) == []
    assert provincial.seqs(committee.code) == [len(LIFE)]
