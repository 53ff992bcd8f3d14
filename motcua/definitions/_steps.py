"""The steps of a procedure definition, one model per kind, told apart by ``kind``."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from motcua.definitions._parts import (
    ApprovalOutcome,
    Check,
    Condition,
    Delivery,
    Identifier,
    ReceiptOutcome,
    ReviewOutcome,
    Slug,
    Strict,
    WorkSpan,
)

# Typed tuples so mypy accepts the default factories below.
_RECEIPT_OUTCOMES: tuple[ReceiptOutcome, ...] = ("accept", "request_supplement", "refuse")
_REVIEW_OUTCOMES: tuple[ReviewOutcome, ...] = ("approve", "reject", "request_supplement")
_APPROVAL_OUTCOMES: tuple[ApprovalOutcome, ...] = ("approve", "reject")


class _Step(Strict):
    id: Identifier
    name: str | None = None
    when: Condition | None = Field(default=None, description="Skip the step when false")
    in_person: bool = Field(default=False, description="Needs the applicant present")


class _HumanStep(_Step):
    role: Slug
    agency: Slug | None = Field(default=None, description="Defaults to the competent agency")
    sla: WorkSpan | None = None
    four_eyes_with: list[Identifier] = Field(
        default_factory=list, description="Steps whose deciding officer may not decide this one"
    )
    outcome_sla: dict[str, WorkSpan] = Field(
        default_factory=dict,
        description="An SLA of its own for a decision with this outcome (e.g. a feedback "
        "refused within 2 working days, asked for more within 5: Decision 766); the step's "
        "``sla`` for the others",
    )

    @model_validator(mode="after")
    def _outcome_sla_names_outcomes(self) -> _HumanStep:
        offered = list(getattr(self, "outcomes", []))
        unknown = sorted(set(self.outcome_sla) - set(offered))
        if unknown:
            raise ValueError(
                f"outcome_sla names {', '.join(unknown)}, not an outcome of this step; "
                f"its outcomes: {', '.join(offered)}"
            )
        return self

    @property
    def first_sla(self) -> WorkSpan | None:
        """The due date an officer sees on the task: the step's SLA, or without one the
        shortest outcome SLA (decided by then, the task is on time whatever the outcome)."""
        if self.sla is not None or not self.outcome_sla:
            return self.sla
        return min(self.outcome_sla.values(), key=lambda span: span.hours)


class ReceiptStep(_HumanStep):
    kind: Literal["receipt"]
    outcomes: list[ReceiptOutcome] = Field(default_factory=lambda: list(_RECEIPT_OUTCOMES))
    forward_to: list[Slug] = Field(
        default_factory=list,
        description="Agencies a receiver may forward the dossier to (outcome ``forward``) when "
        "it is not within its authority; the competent agency then receives it at this step "
        "and runs the later steps (feedback: Decree 20/2008, as amended by Decree 92/2017)",
    )

    @model_validator(mode="after")
    def _forward_names_agencies(self) -> ReceiptStep:
        if ("forward" in self.outcomes) != bool(self.forward_to):
            raise ValueError(
                "the outcome 'forward' and forward_to go together: list in forward_to the "
                "agencies a dossier may be forwarded to, and add 'forward' to outcomes"
            )
        return self


class VerifyStep(_Step):
    kind: Literal["verify"]
    adapter: Slug = "population"
    checks: list[Check] = Field(min_length=1)


class PaymentStep(_Step):
    kind: Literal["payment"]
    reminder_after_hours: float = Field(default=24, gt=0)
    expires_after_hours: float = Field(default=72, gt=0)

    @model_validator(mode="after")
    def _reminder_before_expiry(self) -> PaymentStep:
        if self.reminder_after_hours >= self.expires_after_hours:
            raise ValueError("reminder_after_hours must be less than expires_after_hours")
        return self


class ReviewStep(_HumanStep):
    kind: Literal["review"]
    outcomes: list[ReviewOutcome] = Field(default_factory=lambda: list(_REVIEW_OUTCOMES))


class ConsultBranch(Strict):
    """One agency asked one question. An officer of that agency answers in motcua, or the
    agency's own system answers through its consultation adapter (``answered_by: system``)."""

    id: Identifier
    agency: Slug
    role: Slug | None = None
    answered_by: Literal["officer", "system"] = "officer"
    question: str = Field(min_length=1)
    sla: WorkSpan | None = None

    @model_validator(mode="after")
    def _officer_branches_name_a_role(self) -> ConsultBranch:
        if self.answered_by == "officer" and self.role is None:
            raise ValueError("a branch answered by an officer needs a role")
        return self

    @property
    def holder(self) -> str:
        """Who answers: ``role@agency``, or ``system@agency``."""
        return f"{self.role or 'system'}@{self.agency}"


class ConsultStep(_Step):
    """Inter-agency consultation: all branches are sent at once and answered in parallel."""

    kind: Literal["consult"]
    branches: list[ConsultBranch] = Field(min_length=1)
    on_objection: Literal["reject", "continue"] = "continue"


class ApprovalStep(_HumanStep):
    kind: Literal["approval"]
    outcomes: list[ApprovalOutcome] = Field(default_factory=lambda: list(_APPROVAL_OUTCOMES))


class ResultStep(_Step):
    kind: Literal["result"]
    result_type: Slug
    result_type_code: str = Field(pattern=r"^[A-Z0-9]{2,8}$")
    delivery: list[Delivery] = Field(min_length=1)


Step = Annotated[
    ReceiptStep | VerifyStep | PaymentStep | ReviewStep | ConsultStep | ApprovalStep | ResultStep,
    Field(discriminator="kind"),
]
HumanStep = ReceiptStep | ReviewStep | ApprovalStep
