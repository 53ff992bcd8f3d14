"""Webhook payloads go through an allow-list per event type: a subscriber receives the listed
fields and nothing else, whatever an event carries. Runs on SQLite and on PostgreSQL."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from motcua.dossier import EVENT_MODELS, EventBase, ResultIssued
from motcua.outbox import SHARED_FIELDS, WEBHOOK_FIELDS, create_webhook, webhook_event
from motcua.store import project
from tests.outbox.conftest import Receiver, dispatcher, drain
from tests.store.factories import every_event_type

# Facts the event log keeps that no subscriber may receive.
WITHHELD = {
    "actor_id",
    "comment_id",
    "query_hash",
    "response_hash",
    "document_hash",
    "result_code",
    "tracking",
    "effective_on",
    "time_scale",
}


def test_every_event_type_lists_only_fields_it_has() -> None:
    assert set(WEBHOOK_FIELDS) == set(EVENT_MODELS)  # a new type must be listed to say more
    for event_type, allowed in WEBHOOK_FIELDS.items():
        fields = set(EVENT_MODELS[event_type].model_fields)
        assert allowed <= fields, (event_type, allowed - fields)
        assert not allowed & WITHHELD, event_type
    assert "actor_id" in EventBase.ENVELOPE and "actor_id" not in SHARED_FIELDS


def test_a_type_not_on_the_list_sends_the_shared_envelope_only() -> None:
    event = next(e for e in every_event_type() if e.type == "result.issued")
    unlisted = event.model_copy(update={"type": "result.reissued"})
    assert set(webhook_event(unlisted)) == SHARED_FIELDS


async def test_fields_off_the_list_never_reach_a_subscriber(
    sessions: sessionmaker[Session], receiver: Receiver
) -> None:
    log = every_event_type()
    with sessions.begin() as session:
        create_webhook(
            session, owner_id="portal-a", url=receiver.hook(), event_types=[], agencies=[]
        )
    for event in log:
        with sessions.begin() as session:
            project(session, events=[event])

    async with dispatcher(sessions) as d:
        await drain(d)

    assert len(receiver.accepted) == len(log)
    for got in receiver.accepted:
        assert set(got.event) <= WEBHOOK_FIELDS[got.event["type"]], got.event["type"]
        assert not set(got.event) & WITHHELD
    sent = b"".join(got.body for got in receiver.accepted)
    # The log holds them; the wire does not (the factories' result code and hash, an officer).
    stored = [e for e in log if isinstance(e, ResultIssued)]
    assert stored and all(e.result_code.encode() not in sent for e in stored)
    assert b"h" * 64 not in sent
    issued = next(got.event for got in receiver.accepted if got.event["type"] == "result.issued")
    assert issued["result_id"] == "RES-1" and issued["result_type"] == "residence-confirmation"
