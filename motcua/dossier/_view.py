"""The dossier's status as a fold of its events.

The workflow answers status queries from it, and the read model's dossier row is written from
it, so the two agree by construction and the row can be rebuilt from the log alone. Derived
values (``waiting_for``, ``paid``, ``refunded``) are computed here, in one place.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from motcua.dossier._event_types import (
    ConsultationReplied,
    ConsultationSent,
    DeadlineExtended,
    DeadlineSet,
    DeadlineStopped,
    DossierAccepted,
    DossierCompleted,
    DossierRated,
    DossierSubmitted,
    FeeAssessed,
    FeeExempted,
    FeePaid,
    FeeRefunded,
    FeeRequested,
    PopulationChanged,
    ResultIssued,
    StepStarted,
    SupplementReceived,
    SupplementRequested,
    TaskCancelled,
    TaskClaimed,
    TaskCreated,
    TaskDecided,
    TaskReleased,
)
from motcua.dossier._event_union import ENDINGS, Event
from motcua.dossier._events import EventBase, Timeliness
from motcua.dossier._inputs import TERMINAL_STATUSES, DossierStatus, DossierStatusName, TaskView
from motcua.dossier._results import result_code

STEP_STATUS: dict[str, DossierStatusName] = {
    "receipt": "awaiting_receipt",
    "verify": "verifying",
    "payment": "awaiting_payment",
    "review": "in_review",
    "consult": "in_consultation",
    "approval": "awaiting_approval",
    "result": "issuing_result",
}


class DossierView(BaseModel):
    """Everything the status view needs, updated event by event (:meth:`apply`)."""

    dossier_code: str
    workflow_id: str
    procedure_code: str
    procedure_version: int
    agency: str
    channel: str = "online"
    submission_id: str | None = None
    bundle_id: str | None = None
    status: DossierStatusName = "submitted"
    current_step: str | None = None
    received_at: datetime
    accepted_at: datetime | None = None
    due_at: datetime | None = None
    original_due_at: datetime | None = None
    extended: bool = False
    clock_stopped: bool = False
    supplement_requests: int = 0
    missing_documents: list[str] = Field(default_factory=list)
    open_tasks: list[TaskView] = Field(default_factory=list)
    fee_amount: int | None = None
    fee_requested: bool = False
    paid_transaction: str | None = None
    refunded: bool = False
    result_code: str | None = Field(default=None, description="only from rows logged with it")
    result_type_code: str | None = None
    timeliness: Timeliness | None = None
    rating: int | None = None
    step_waits_for: str | None = None
    asked_systems: list[str] = Field(default_factory=list)
    population_notes: list[str] = Field(default_factory=list)
    last_seq: int = 0
    updated_at: datetime

    @classmethod
    def start(cls, event: EventBase) -> DossierView:
        """An empty view of the dossier ``event`` belongs to (its first event, usually)."""
        return cls(
            dossier_code=event.dossier_code,
            workflow_id=event.workflow_id,
            procedure_code=event.procedure_code,
            procedure_version=event.procedure_version,
            agency=event.agency,
            received_at=event.occurred_at,
            updated_at=event.occurred_at,
        )

    @property
    def paid(self) -> bool:
        return self.paid_transaction is not None

    @property
    def waiting_for(self) -> str | None:
        """Who or what the dossier waits for now."""
        if self.status in TERMINAL_STATUSES:
            return None
        if self.status == "awaiting_supplement":
            return "citizen: supplement"
        if self.status == "awaiting_payment" and self.fee_requested and not self.paid:
            return "citizen: payment"
        holders = sorted({f"{t.role}@{t.agency}" for t in self.open_tasks})
        parts = [f"officer: {', '.join(holders)}"] if holders else []
        parts += sorted(self.asked_systems)
        if holders:
            parts += self.population_notes
        return "; ".join(parts) or self.step_waits_for

    def apply(self, event: Event) -> None:
        """Fold one event into the view; events of another dossier or seen before are ignored."""
        if event.workflow_id != self.workflow_id or event.seq <= self.last_seq:
            return
        self.last_seq, self.updated_at = event.seq, event.occurred_at
        if event.step_id is not None:
            self.current_step = event.step_id
        self._apply(event)

    def _apply(self, ev: Event) -> None:
        match ev:
            case DossierSubmitted():
                self.received_at, self.channel = ev.occurred_at, ev.channel or self.channel
                self.submission_id, self.bundle_id = ev.submission_id, ev.bundle_id
            case StepStarted():
                self.status = STEP_STATUS.get(ev.step_kind or "", self.status)
                self.step_waits_for = ev.waits_for
            case DossierAccepted():
                self.accepted_at = ev.occurred_at
                self.due_at = self.original_due_at = ev.due_at
            case SupplementRequested():
                self.status, self.missing_documents = "awaiting_supplement", ev.missing_documents
                self.supplement_requests = ev.request_number
            case SupplementReceived():
                self.status = STEP_STATUS.get(ev.step_kind or "", self.status)
                self.missing_documents = []
            case DeadlineStopped():
                self.clock_stopped = True
            case DeadlineSet():
                self.due_at = self.original_due_at = ev.due_at
                self.clock_stopped = False
            case DeadlineExtended():
                self.due_at, self.extended = ev.due_at, True
            case FeeExempted():
                self.fee_amount = 0
            case FeeAssessed():
                self.fee_amount = ev.amount
            case FeeRequested():
                self.fee_amount, self.fee_requested = ev.amount, True
            case FeePaid():
                self.paid_transaction = ev.transaction_id
            case FeeRefunded():
                # A duplicate payment's refund is not the dossier's fee being refunded.
                self.refunded = self.refunded or ev.transaction_id == self.paid_transaction
            case TaskCreated():
                self.open_tasks.append(_task_view(ev))
            case TaskClaimed() | TaskReleased():
                claimed_by = ev.actor_id if isinstance(ev, TaskClaimed) else None
                self.open_tasks = [
                    t.model_copy(update={"claimed_by": claimed_by})
                    if t.task_id == ev.task_id
                    else t
                    for t in self.open_tasks
                ]
            case TaskDecided() | TaskCancelled():
                self.open_tasks = [t for t in self.open_tasks if t.task_id != ev.task_id]
            case ConsultationSent() if ev.system is not None:
                self.asked_systems.append(f"{ev.system}: {ev.branch}")
            case ConsultationReplied():
                self.asked_systems = [
                    s for s in self.asked_systems if not s.endswith(f": {ev.branch}")
                ]
            case ResultIssued():
                self.result_code, self.result_type_code = ev.result_code, ev.result_type_code
            case DossierCompleted():
                self.status, self.timeliness = "completed", ev.timeliness
            case DossierRated():
                self.status, self.rating = "rated", ev.score
            case PopulationChanged() if not ev.closes_dossier:
                day = ev.effective_on.isoformat()
                self.population_notes.append(f"population record changed: {ev.kind} on {day}")
            case _ if ev.type in ENDINGS:
                self.status = ev.type.removeprefix("dossier.")  # type: ignore[assignment]
                self.timeliness = ev.timeliness
                self.open_tasks = []

    def snapshot(self, *, applicant_id: str | None = None) -> DossierStatus:
        """The status a citizen or officer sees: the view's own fields and the derived ones;
        the result code is composed with ``applicant_id`` (no event holds it)."""
        derived = {
            "waiting_for": self.waiting_for,
            "paid": self.paid,
            "result_code": self.result_code_for(applicant_id),
        }
        own = set(DossierStatus.model_fields) - set(derived)
        return DossierStatus(**self.model_dump(include=own), **derived)

    def result_code_for(self, applicant_id: str | None) -> str | None:
        """The Art. 22 result code, composed with the applicant's ID once a result is issued."""
        if self.result_code is not None or self.result_type_code is None or applicant_id is None:
            return self.result_code  # none yet, or logged with the row (older rows)
        return result_code(
            personal_id=applicant_id,
            result_type_code=self.result_type_code,
            dossier_code=self.dossier_code,
        )


def _task_view(ev: TaskCreated) -> TaskView:
    return TaskView(
        task_id=ev.task_id,
        step_id=ev.step_id or "",
        branch_id=ev.branch_id,
        role=ev.role,
        agency=ev.task_agency,
        outcomes=list(ev.outcomes),
        created_at=ev.occurred_at,
        due_at=ev.due_at,
    )
