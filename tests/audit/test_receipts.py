"""The projection's receipt: the hashes the log holds, even when a retry or a replay sends an
event again with another instant (and so another hash)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from activities.contracts import ProjectionInput, ProjectionReceipt
from activities.store import StoreActivities
from motcua.calendar import default_calendar
from motcua.dossier import CHAIN_GENESIS, Event, chain_link
from motcua.store import make_engine, migrate, session_factory
from tests.store.factories import Dossier


def linked(events: list[Event]) -> list[Event]:
    out, previous = [], CHAIN_GENESIS
    for event in events:
        event = event.model_copy(update={"chain_hash": chain_link(previous, event)})
        out.append(event)
        previous = event.chain_hash or ""
    return out


def test_a_resent_event_is_answered_with_the_hash_the_log_holds(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'm.db'}"
    migrate(url)
    engine = make_engine(url)
    store = StoreActivities(session_factory(engine), default_calendar())
    dossier = Dossier("000.00.01.H29-260115-0001")
    first = linked([dossier.submitted(), dossier.event("dossier.accepted")])
    receipt = store.project(ProjectionInput(events=first))
    assert receipt == ProjectionReceipt(
        inserted=2, chain={e.event_id: e.chain_hash or "" for e in first}
    )

    # A replay records the second event a few milliseconds off: another hash, same event id.
    later = first[1].occurred_at + timedelta(milliseconds=9)
    again = linked([first[0], first[1].model_copy(update={"occurred_at": later})])
    assert again[1].chain_hash != first[1].chain_hash
    receipt = store.project(ProjectionInput(events=again))
    assert receipt.inserted == 0
    assert receipt.chain[again[1].event_id] == first[1].chain_hash
    engine.dispose()


def test_a_bare_count_from_an_older_history_still_reads_as_a_receipt() -> None:
    assert ProjectionReceipt.model_validate(3) == ProjectionReceipt(inserted=3)
