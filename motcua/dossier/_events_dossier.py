"""Dossier events: submitted, accepted, supplements asked and received, the endings, completed
and rated; one model per event type (see :mod:`._event_types`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import Field, model_validator

from motcua.dossier._events import EventBase
from motcua.dossier._free_text import CommentId, ReasonCode, without_text

__all__ = [
    "DossierAccepted",
    "DossierCompleted",
    "DossierLapsed",
    "DossierRated",
    "DossierRefused",
    "DossierRejected",
    "DossierSubmitted",
    "DossierWithdrawn",
    "StepStarted",
    "SupplementReceived",
    "SupplementRequested",
]

# ------------------------------------------------------------------------------ dossier


class DossierSubmitted(EventBase):
    type: Literal["dossier.submitted"] = "dossier.submitted"
    submission_id: str
    bundle_id: str | None = None
    about_dossier: str | None = Field(
        default=None, description="a feedback (PAKN) dossier: the code of the dossier it is about"
    )
    comment_id: str | None = Field(
        default=None, description="what the citizen wrote with it (a feedback's words)"
    )
    documents: list[str] = Field(default_factory=list)
    full_process_online: bool = False
    time_scale: float = Field(default=1.0, description="demo clock: calendar per real second")
    clock_epoch: datetime | None = Field(default=None, description="demo clock: its start")


class StepStarted(EventBase):
    """The interpreter entered a step (the analysis measures automated steps from here)."""

    type: Literal["step.started"] = "step.started"
    waits_for: str | None = Field(default=None, description="an outside system it waits on")


class DossierAccepted(EventBase):
    type: Literal["dossier.accepted"] = "dossier.accepted"
    supplement_window_closes: datetime | None = None


class SupplementRequested(EventBase):
    type: Literal["dossier.supplement_requested"] = "dossier.supplement_requested"
    missing_documents: list[str]
    request_number: int = Field(ge=1)


class SupplementReceived(EventBase):
    type: Literal["dossier.supplement_received"] = "dossier.supplement_received"
    documents: list[str] = Field(default_factory=list)


class _Ending(EventBase):
    reason_code: ReasonCode | None = None
    comment_id: str | None = CommentId

    @model_validator(mode="before")
    @classmethod
    def _drop_legacy_text(cls, data: object) -> object:
        return without_text(data, "reason")


class DossierRefused(_Ending):
    type: Literal["dossier.refused"] = "dossier.refused"
    source: str | None = Field(default=None, description="the data source that caused it")
    effective_on: date | None = None
    cursor: int | None = None


class DossierRejected(_Ending):
    type: Literal["dossier.rejected"] = "dossier.rejected"
    branches: list[str] = Field(default_factory=list, description="objecting consultations")


class DossierLapsed(_Ending):
    type: Literal["dossier.lapsed"] = "dossier.lapsed"
    reference: str | None = Field(default=None, description="the fee request that lapsed")


class DossierWithdrawn(_Ending):
    type: Literal["dossier.withdrawn"] = "dossier.withdrawn"


class DossierCompleted(EventBase):
    type: Literal["dossier.completed"] = "dossier.completed"


class DossierRated(EventBase):
    type: Literal["dossier.rated"] = "dossier.rated"
    score: int = Field(ge=1, le=5)
    complaint: bool = False
    comment_id: str | None = CommentId
