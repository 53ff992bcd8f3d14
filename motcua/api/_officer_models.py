"""Request and response bodies of the officer side: the inbox, its tasks, decisions.

Declared as pydantic models so the OpenAPI document says exactly what an officer's console sends
and gets.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from motcua.store import TaskRow

TaskStatus = Literal["open", "claimed", "decided", "cancelled"]


class TaskItem(BaseModel):
    """One task of an officer's inbox."""

    task_id: str = Field(description="Use it to claim, release and decide the task")
    dossier_code: str
    procedure: str | None = Field(
        description="Procedure code of the dossier (null for a moment after submission)"
    )
    step: str | None = Field(description="Step of the procedure definition, e.g. review")
    branch: str | None = Field(default=None, description="Consultation branch, for consultations")
    role: str = Field(description="The role that decides it")
    agency: str = Field(description="The agency that decides it")
    outcomes: list[str] = Field(description="The outcomes a decision may give")
    status: TaskStatus
    created_at: datetime
    due_at: datetime | None = Field(description="The step's deadline (null: none)")
    overdue: bool = Field(description="Still undecided after its due date")
    claimed_by: str | None = Field(description="Officer working on it, if any")
    claimed_at: datetime | None
    outcome: str | None = Field(default=None, description="The decision, once decided")
    decided_by: str | None = None
    decided_at: datetime | None = None

    @classmethod
    def of(cls, task: TaskRow, procedure: str | None, *, now: datetime) -> TaskItem:
        undecided = task.status in ("open", "claimed")
        return cls(
            task_id=task.task_id,
            dossier_code=task.dossier_code,
            procedure=procedure,
            step=task.step_id,
            branch=task.branch_id,
            role=task.role,
            agency=task.agency,
            outcomes=list(task.outcomes or []),
            status=task.status,  # the projector writes only these statuses
            created_at=task.created_at,
            due_at=task.due_at,
            overdue=undecided and task.due_at is not None and task.due_at < now,
            claimed_by=task.claimed_by,
            claimed_at=task.claimed_at,
            outcome=task.outcome,
            decided_by=task.decided_by,
            decided_at=task.decided_at,
        )


class TaskPage(BaseModel):
    """One page of the inbox, the most urgent task first."""

    items: list[TaskItem]
    total: int = Field(description="Tasks matching the filters, on all pages")
    limit: int
    offset: int
    next_offset: int | None = Field(description="Offset of the next page; null on the last")


class DecisionBody(BaseModel):
    """An officer's decision on a task; the workflow checks it against the procedure."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    outcome: str = Field(
        min_length=1,
        max_length=64,
        description="One of the task's outcomes, e.g. accept, approve, reject, request_supplement",
    )
    comment: str | None = Field(
        default=None,
        max_length=2000,
        description="Reasons: kept with the decision record (never in the event log); the "
        "citizen reads them for refuse, reject and request_supplement",
    )
    forward_to: str | None = Field(
        default=None,
        max_length=64,
        description="For the outcome forward: the competent agency (one the step lists)",
    )
    missing_documents: list[str] = Field(
        default_factory=list,
        max_length=100,
        description="For request_supplement: the complete list of missing document ids",
    )


class DecisionAnswer(BaseModel):
    """The workflow's answer to a decision it accepted."""

    task_id: str
    dossier_code: str
    outcome: str
    dossier_status: str = Field(description="The dossier's status after the decision")
    message: str
