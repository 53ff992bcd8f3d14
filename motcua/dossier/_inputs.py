"""Typed inputs and outputs of the procedure workflow, its updates, signals and queries.

Every workflow, update, signal and query takes one of these objects, so fields can be added
without breaking running dossiers.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from motcua.definitions import Procedure
from motcua.dossier._events import Timeliness


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class Applicant(_Model):
    personal_id: str = Field(pattern=r"^\d{12}$", description="12-digit personal ID number")
    full_name: str = Field(min_length=1)
    birth_date: date | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = Field(default=None, description="Where the post delivers a result")
    categories: list[str] = Field(
        default_factory=list, description="e.g. student, poor_household, disabled"
    )


class SubmittedDocument(_Model):
    id: str
    sha256: str | None = None
    file_name: str | None = None


class RunOptions(_Model):
    """Engine parameters pinned into the dossier at submission."""

    time_scale: float = Field(
        default=1.0,
        ge=1.0,
        description="Demo only: how many times faster than real time the calendar runs",
    )
    clock_epoch: datetime | None = Field(
        default=None, description="Demo only: the instant from which the fast calendar runs"
    )
    extension_working_days: float = Field(default=2, gt=0)
    supplement_lapse: timedelta = Field(default=timedelta(days=15), description="Art. 19.5")
    supplement_window_working_days: float = Field(default=3, gt=0, description="Art. 19.5")
    rating_window: timedelta = Field(default=timedelta(days=30))
    search_attributes: bool = True
    agency_queue_prefix: str = Field(
        default="agency.",
        description="Each agency's adapter calls go to task queue prefix + agency id",
    )


class DossierInput(_Model):
    submission_id: str = Field(min_length=1, max_length=128)
    procedure: Procedure
    agency_code: str = Field(description="Competent agency's code, the dossier code prefix")
    channel: Literal["online", "counter", "post"]
    applicant: Applicant
    form: dict[str, Any] = Field(default_factory=dict)
    documents: list[SubmittedDocument] = Field(default_factory=list)
    options: RunOptions = Field(default_factory=RunOptions)
    bundle_id: str | None = None
    about_dossier: str | None = Field(
        default=None, description="Feedback (PAKN) about a dossier: that dossier's code"
    )
    comment_id: str | None = Field(
        default=None,
        description="What the citizen wrote with it (a feedback's words), stored first",
    )


class Actor(_Model):
    id: str = Field(min_length=1)
    role: str
    agency: str


class ClaimInput(_Model):
    task_id: str
    actor: Actor


class DecisionInput(_Model):
    task_id: str
    actor: Actor
    outcome: str
    comment_id: str | None = Field(
        default=None, description="The decision record (who, why) the caller stored first"
    )
    missing_documents: list[str] = Field(default_factory=list)
    forward_to: str | None = Field(
        default=None, description="Outcome 'forward': the competent agency it goes to"
    )


class SupplementInput(_Model):
    documents: list[SubmittedDocument]


class WithdrawInput(_Model):
    comment_id: str | None = Field(default=None, description="The citizen's reason, stored first")


class RatingInput(_Model):
    score: int = Field(ge=1, le=5, description="1 = very dissatisfied … 5 = very satisfied")
    complaint: bool = False
    comment_id: str | None = Field(default=None, description="The citizen's words, stored first")


class PaymentEvent(_Model):
    """A payment confirmation, as the payment platform reports it."""

    reference: str
    transaction_id: str
    amount: int
    paid_at: datetime


class ConsultationReplyInput(_Model):
    """A consulted agency's system pushing its reply to a system-answered consultation branch,
    instead of waiting for the engine to poll for it; the first of the two to arrive wins."""

    reference: str = Field(description="The consultation's reference: code/step.branch")
    outcome: Literal["agree", "object"]
    comment_id: str | None = Field(default=None, description="The agency's answer, stored first")
    officer: str | None = Field(default=None, description="Who answered at the agency")
    replied_at: datetime
    service_id: str = Field(description="The agency system that pushed the reply")


class PopulationChangeInput(_Model):
    """A change the National Population Database announced about a dossier's applicant (a
    death, a move, a marriage...); ``cursor`` identifies it, so a repeat is recorded once."""

    cursor: int = Field(ge=1)
    personal_id: str = Field(pattern=r"^\d{12}$")
    kind: Literal["died", "moved", "married", "divorced", "corrected"]
    effective_on: date
    facts: dict[str, str] = Field(default_factory=dict)


class TaskView(_Model):
    task_id: str
    step_id: str
    branch_id: str | None = None
    role: str
    agency: str
    outcomes: list[str]
    created_at: datetime
    due_at: datetime | None = None
    claimed_by: str | None = None


class Ack(_Model):
    dossier_code: str
    status: str
    message: str


DossierStatusName = Literal[
    "submitted",
    "awaiting_receipt",
    "awaiting_supplement",
    "verifying",
    "awaiting_payment",
    "in_review",
    "in_consultation",
    "awaiting_approval",
    "issuing_result",
    "completed",
    "rated",
    "refused",
    "rejected",
    "withdrawn",
    "lapsed",
]

TERMINAL_STATUSES = frozenset({"completed", "rated", "refused", "rejected", "withdrawn", "lapsed"})


class DossierStatus(_Model):
    """The live status a citizen or officer sees."""

    dossier_code: str
    workflow_id: str
    procedure_code: str
    procedure_version: int
    agency: str
    channel: str
    status: DossierStatusName
    current_step: str | None = None
    waiting_for: str | None = Field(default=None, description="who or what the dossier waits for")
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
    paid: bool = False
    refunded: bool = False
    result_code: str | None = None
    timeliness: Timeliness | None = None
    rating: int | None = None
    chain_seq: int = Field(default=0, description="seq of the last event the workflow recorded")
    chain_head: str | None = Field(
        default=None, description="that event's chain hash, as the workflow computed it"
    )


class SubmissionReceipt(_Model):
    """What the ``submitted`` update answers a submission with: the dossier exists, has its code,
    and its ``dossier.submitted`` event is in the read model."""

    dossier_code: str
    workflow_id: str
    status: DossierStatusName
    received_at: datetime


class DossierOutcome(_Model):
    dossier_code: str
    status: DossierStatusName
    timeliness: Timeliness | None = None
    result_code: str | None = None
    chain_seq: int = Field(default=0, description="seq of the dossier's last event")
    chain_head: str | None = Field(default=None, description="that event's chain hash")


class AuditChain(_Model):
    """The hash chain as the workflow holds it: the truth the read model is checked against."""

    dossier_code: str
    hashes: list[str] = Field(description="the chain hash of event seq n at index n - 1")
    projected_seq: int = Field(
        description="events up to this seq are in the read model; later ones are on their way"
    )
