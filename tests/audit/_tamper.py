"""What an attacker with write access to the read model does to the event log, in SQL."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from motcua.dossier import CHAIN_GENESIS, chain_link, event_id, event_row
from motcua.store import EventRow, list_events


def edit(sessions: sessionmaker[Session], code: str, seq: int) -> None:
    """Change who acted at ``seq``, leaving the stored hash as it was."""
    with sessions.begin() as session:
        session.execute(
            text(
                "UPDATE events SET actor_id = 'officer-mallory' "
                "WHERE dossier_code = :c AND seq = :s"
            ),
            {"c": code, "s": seq},
        )


def delete(sessions: sessionmaker[Session], code: str, seq: int) -> None:
    with sessions.begin() as session:
        session.execute(
            text("DELETE FROM events WHERE dossier_code = :c AND seq = :s"), {"c": code, "s": seq}
        )


def rewrite(sessions: sessionmaker[Session], code: str, seq: int) -> None:
    """Change who acted at ``seq`` and recompute every stored hash from there on, as someone
    who has read the documentation would."""
    with sessions.begin() as session:
        events = list_events(session, code)
        previous = CHAIN_GENESIS
        for event in events:
            if event.seq == seq:
                event = event.model_copy(update={"actor_id": "officer-mallory"})
            link = chain_link(previous, event)
            session.execute(
                text(
                    "UPDATE events SET actor_id = :a, chain_hash = :h "
                    "WHERE dossier_code = :c AND seq = :s"
                ),
                {"a": event.actor_id, "h": link, "c": code, "s": event.seq},
            )
            previous = link


def append(sessions: sessionmaker[Session], code: str) -> int:
    """Insert a copy of the last event as a new one, with a well-formed hash; its seq."""
    with sessions.begin() as session:
        last = list_events(session, code)[-1]
        seq = last.seq + 1
        forged = last.model_copy(
            update={"seq": seq, "event_id": event_id(last.workflow_id, seq), "chain_hash": None}
        )
        forged = forged.model_copy(update={"chain_hash": chain_link(last.chain_hash or "", forged)})
        session.execute(EventRow.__table__.insert(), [event_row(forged)])
    return seq
