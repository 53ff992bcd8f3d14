"""Deadlines, results and population changes; one model per event type (see
:mod:`._event_types`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import Field

from motcua.dossier._events import EventBase

__all__ = [
    "DeadlineExtended",
    "DeadlineSet",
    "DeadlineStopped",
    "PopulationChanged",
    "ResultDelivered",
    "ResultIssued",
]

# ---------------------------------------------------------------------------- deadline


class DeadlineSet(EventBase):
    type: Literal["deadline.set"] = "deadline.set"
    restarted: bool = True


class DeadlineStopped(EventBase):
    type: Literal["deadline.stopped"] = "deadline.stopped"
    reason: Literal["supplement"] = "supplement"


class DeadlineExtended(EventBase):
    type: Literal["deadline.extended"] = "deadline.extended"
    original_due_at: datetime
    apology: bool = True


# ------------------------------------------------------------------------------ result


class ResultIssued(EventBase):
    type: Literal["result.issued"] = "result.issued"
    result_id: str
    result_type: str
    result_type_code: str | None = Field(
        default=None, description="Art. 22: the code is the applicant's ID + this + the dossier"
    )
    result_code: str | None = Field(
        default=None, description="rows logged before the code (which holds the ID) left the log"
    )
    document_hash: str | None = None


class ResultDelivered(EventBase):
    type: Literal["result.delivered"] = "result.delivered"
    result_id: str
    delivery: str = Field(description="e_data_store, post, ...")
    tracking: str | None = None


# -------------------------------------------------------------------------- population


class PopulationChanged(EventBase):
    type: Literal["population.changed"] = "population.changed"
    kind: str
    effective_on: date
    cursor: int
    facts: list[str] = Field(
        default_factory=list, description="which facts changed, never their values"
    )
    closes_dossier: bool = False
