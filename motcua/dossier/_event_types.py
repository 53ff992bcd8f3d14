"""One model per event type (their union ``Event``, by ``type``, is in ``_event_union``).

A type's own fields are the facts of that hand-off; everything else is on the envelope
(:class:`~motcua.dossier._events.EventBase`). Adding a field with a default is compatible with
the rows already in the log; renaming or removing one is not.

No field holds free text or personal data: what a person wrote (a decision's reasons, a
withdrawal's, an agency's answer) is a comment in a table of its own, cited by ``comment_id``;
why the engine ended a dossier is a fixed ``reason_code``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import Field, model_validator

from motcua.dossier._events import EventBase
from motcua.dossier._free_text import CommentId, ReasonCode, without_text

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


# ------------------------------------------------------------------------ verification


class _Verification(EventBase):
    evidence_id: str
    source: str
    checks: list[str] = Field(default_factory=list)
    query_hash: str | None = None
    response_hash: str | None = None
    ok: bool


class VerificationCompleted(_Verification):
    type: Literal["verification.completed"] = "verification.completed"


class VerificationFailed(_Verification):
    type: Literal["verification.failed"] = "verification.failed"
    failed_checks: list[str] = Field(default_factory=list)


# --------------------------------------------------------------------------------- fee


class FeeExempted(EventBase):
    type: Literal["fee.exempted"] = "fee.exempted"
    amount: int = 0


class FeeAssessed(EventBase):
    """The fee this dossier owes (channel rate, reductions), before the platform is asked."""

    type: Literal["fee.assessed"] = "fee.assessed"
    amount: int = Field(gt=0)
    currency: str = "VND"


class FeeRequested(EventBase):
    type: Literal["fee.requested"] = "fee.requested"
    reference: str
    amount: int = Field(gt=0)
    currency: str = "VND"
    expires_at: datetime | None = Field(default=None, description="as the platform holds it")


class FeeReminded(EventBase):
    type: Literal["fee.reminded"] = "fee.reminded"
    reference: str


class FeePaid(EventBase):
    type: Literal["fee.paid"] = "fee.paid"
    reference: str
    transaction_id: str
    amount: int


class FeeMismatched(EventBase):
    """A payment whose amount is not the fee due: refused (the fee stays unpaid) and parked
    for an operator (``motcua payments mismatched``), who settles it with the platform."""

    type: Literal["fee.mismatched"] = "fee.mismatched"
    reference: str
    transaction_id: str
    amount_due: int
    amount_paid: int
    currency: str = "VND"


class FeeDuplicate(EventBase):
    type: Literal["fee.duplicate"] = "fee.duplicate"
    reference: str
    transaction_id: str


class FeeRefunded(EventBase):
    type: Literal["fee.refunded"] = "fee.refunded"
    reference: str
    transaction_id: str
    amount: int
    refund_id: str
    reason: str = Field(description="the engine's fixed words, e.g. 'duplicate payment'")


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
