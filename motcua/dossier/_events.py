"""The hand-off event: one row of the decree's Processing Control Sheet.

The event log is the contract between the engine, the API and the analysis. Events are written
by activities only, never updated; their id is deterministic (workflow id + sequence) so a retried
activity re-writes the same row instead of adding one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Timeliness = Literal["early", "on_time", "late"]

EVENT_TYPES = frozenset(
    {
        "dossier.submitted",
        "dossier.accepted",
        "dossier.supplement_requested",
        "dossier.supplement_received",
        "dossier.refused",
        "dossier.rejected",
        "dossier.withdrawn",
        "dossier.lapsed",
        "dossier.rated",
        "dossier.completed",
        "verification.completed",
        "verification.failed",
        "fee.exempted",
        "fee.requested",
        "fee.reminded",
        "fee.paid",
        "fee.duplicate",
        "fee.refunded",
        "task.created",
        "task.claimed",
        "task.released",
        "task.decided",
        "task.cancelled",
        "consultation.sent",
        "consultation.replied",
        "deadline.set",
        "deadline.stopped",
        "deadline.extended",
        "result.issued",
        "result.delivered",
    }
)


class Event(BaseModel):
    """One hand-off or state change of a dossier."""

    model_config = ConfigDict(frozen=True)

    event_id: str = Field(description="workflow id + ':' + zero-padded sequence")
    workflow_id: str
    seq: int = Field(ge=1)
    type: str
    dossier_code: str
    procedure_code: str
    procedure_version: int
    agency: str
    occurred_at: datetime
    step_id: str | None = None
    step_kind: str | None = None
    actor_id: str = "system"
    actor_role: str | None = None
    handed_from: str | None = Field(
        default=None, description="role/agency handing the dossier over"
    )
    handed_to: str | None = Field(default=None, description="role/agency receiving it")
    outcome: str | None = None
    channel: str | None = None
    due_at: datetime | None = None
    timeliness: Timeliness | None = None
    data: dict[str, Any] = Field(default_factory=dict, description="small facts, no personal data")


def event_id(workflow_id: str, seq: int) -> str:
    return f"{workflow_id}:{seq:05d}"
