"""The Processing Control Sheet (Decree 118/2025, Circular 03/2025/TT-VPCP Annex I): every
hand-off of a dossier — from whom, to whom, when, by when, and whether it was early, on time or
late — read from the event log, which records each hand-off on the event that made it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from motcua.dossier import Event
from motcua.services._principals import Officer, Principal
from motcua.services._reads import dossier_view


@dataclass(frozen=True)
class HandOff:
    """One row of the sheet. ``actor`` is the officer's id for officers and the role for the
    applicant, who reads who handled their dossier by role only."""

    event_type: str
    step_id: str | None
    handed_from: str | None
    handed_to: str | None
    at: datetime
    due_at: datetime | None
    timeliness: str | None
    actor: str | None
    outcome: str | None


def shown_actor(event: Event, *, officer: bool) -> str | None:
    """Who acted, as the reader may see it: the officer's id for officers, the role for the
    applicant, who reads who handled their dossier by role only."""
    return event.actor_id if officer else event.actor_role


def hand_offs(events: list[Event], *, officer: bool) -> list[HandOff]:
    """The hand-offs among ``events`` (a dossier's, in order)."""
    return [
        HandOff(
            event_type=e.type,
            step_id=e.step_id,
            handed_from=e.handed_from,
            handed_to=e.handed_to,
            at=e.occurred_at,
            due_at=e.due_at,
            timeliness=e.timeliness,
            actor=shown_actor(e, officer=officer),
            outcome=e.outcome,
        )
        for e in events
        if e.handed_from is not None or e.handed_to is not None
    ]


def control_sheet(session: Session, who: Principal, code: str) -> list[HandOff] | None:
    """The Processing Control Sheet of dossier ``code``; None when ``who`` may not see it."""
    view = dossier_view(session, who, code)
    if view is None:
        return None
    return hand_offs(view.events, officer=isinstance(who, Officer))
