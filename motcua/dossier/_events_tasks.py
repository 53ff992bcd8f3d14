"""Officer tasks and inter-agency consultations; one model per event type (see
:mod:`._event_types`)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from motcua.dossier._events import EventBase
from motcua.dossier._free_text import CommentId, without_text

__all__ = [
    "ConsultationDelivered",
    "ConsultationReplied",
    "ConsultationSent",
    "TaskCancelled",
    "TaskClaimed",
    "TaskCreated",
    "TaskDecided",
    "TaskReleased",
]

# ------------------------------------------------------------------------------- tasks


class _TaskEvent(EventBase):
    task_id: str
    task_agency: str = Field(description="the agency whose officers hold the task")


class TaskCreated(_TaskEvent):
    type: Literal["task.created"] = "task.created"
    role: str
    branch_id: str | None = None
    outcomes: list[str] = Field(default_factory=list)


class TaskClaimed(_TaskEvent):
    type: Literal["task.claimed"] = "task.claimed"
    waited_seconds: float = Field(ge=0)


class TaskReleased(_TaskEvent):
    type: Literal["task.released"] = "task.released"


class TaskDecided(_TaskEvent):
    type: Literal["task.decided"] = "task.decided"
    branch_id: str | None = None
    duration_seconds: float = Field(ge=0)
    missing_documents: list[str] = Field(default_factory=list)
    comment_id: str | None = Field(
        default=None, description="the decision record: who (as their token said) and why"
    )


class TaskCancelled(_TaskEvent):
    type: Literal["task.cancelled"] = "task.cancelled"


# ------------------------------------------------------------------------ consultation


class ConsultationSent(EventBase):
    type: Literal["consultation.sent"] = "consultation.sent"
    branch: str
    system: str | None = Field(default=None, description="the agency system answering it")


class ConsultationDelivered(EventBase):
    type: Literal["consultation.delivered"] = "consultation.delivered"
    branch: str
    ticket_id: str


class ConsultationReplied(EventBase):
    type: Literal["consultation.replied"] = "consultation.replied"
    branch: str
    comment_id: str | None = CommentId
    via: Literal["poll", "push", "officer"] = "officer"
    service_id: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _drop_legacy_text(cls, data: object) -> object:
        return without_text(data, "comment")  # the agency's answer itself
