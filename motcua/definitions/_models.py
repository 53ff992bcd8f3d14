"""Strict pydantic models of a procedure definition (schema version 2).

A definition is data written by procedure designers in ``procedure_defs/*.yaml``. It is parsed
only at the edges (CLI, worker start-up, submission) and the validated, frozen model — not the
YAML — is pinned into each dossier's workflow input.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from motcua.definitions._expr import parse_condition

CURRENT_SCHEMA_VERSION = 2

Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
Slug = Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$", max_length=64)]
SourceName = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_-]*$", max_length=64)]
"""A data source in the registry, e.g. ``population`` or ``land_registry``."""


def _check_condition(text: str) -> str:
    parse_condition(text)  # raises ValueError with the position of the problem
    return text


Condition = Annotated[str, AfterValidator(_check_condition)]
"""A boolean expression over dossier fields, e.g. ``applicant.age < 6``; see ``_expr``."""

Channel = Literal["online", "counter", "post"]
Level = Literal["commune", "province", "ministry"]
Check = Literal["identity", "alive", "residence", "relationship", "marital_status"]
Delivery = Literal["e_data_store", "post", "counter"]
ReceiptOutcome = Literal["accept", "request_supplement", "refuse", "forward"]
ReviewOutcome = Literal["approve", "reject", "request_supplement"]
ApprovalOutcome = Literal["approve", "reject"]
# Typed tuples so mypy accepts the default factories below.
_RECEIPT_OUTCOMES: tuple[ReceiptOutcome, ...] = ("accept", "request_supplement", "refuse")
_REVIEW_OUTCOMES: tuple[ReviewOutcome, ...] = ("approve", "reject", "request_supplement")
_APPROVAL_OUTCOMES: tuple[ApprovalOutcome, ...] = ("approve", "reject")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LocalizedName(_Strict):
    vi: str = Field(min_length=1)
    en: str = Field(min_length=1)


class WorkSpan(_Strict):
    """A span of working time: working days, working hours, or the same working day.

    ``same_day`` means by the end of the receipt's working day, or of the next one when the
    dossier arrives after the cut-off (Decree 118/2025 Art. 18).
    """

    working_days: float | None = Field(default=None, gt=0)
    working_hours: float | None = Field(default=None, gt=0)
    same_day: bool = False

    @model_validator(mode="after")
    def _exactly_one(self) -> WorkSpan:
        given = [self.working_days is not None, self.working_hours is not None, self.same_day]
        if sum(given) != 1:
            raise ValueError("give exactly one of working_days, working_hours or same_day: true")
        return self

    @property
    def hours(self) -> float:
        """Length in working hours (8 a day), for summing SLAs against the deadline."""
        if self.working_hours is not None:
            return self.working_hours
        if self.working_days is not None:
            return self.working_days * 8
        return 8.0


class Deadline(WorkSpan):
    """The statutory deadline, counted from receipt of a complete, valid dossier."""

    extension_working_days: float | None = Field(
        default=None,
        gt=0,
        description="Length of the single extension announced with the apology (Art. 19.6); "
        "defaults to the engine setting when absent.",
    )
    reference: str | None = None


class FeeRate(_Strict):
    """A reduced rate for applicants matching ``when`` (e.g. students)."""

    when: Condition
    online: int = Field(ge=0)
    counter: int = Field(ge=0)


class Fee(_Strict):
    online: int = Field(ge=0, description="Amount in VND when filed online")
    counter: int = Field(ge=0, description="Amount in VND at the counter or by post")
    currency: Literal["VND"] = "VND"
    exempt_when: Condition | None = None
    reduced: list[FeeRate] = Field(default_factory=list)
    reference: str | None = None

    @property
    def is_free(self) -> bool:
        return self.online == 0 and self.counter == 0


class Document(_Strict):
    id: Identifier
    name: str = Field(min_length=1)
    required: bool | Condition = True
    replaced_by: SourceName | None = Field(
        default=None,
        description="Data source that provides this document; it is never asked for "
        "(Decree 118/2025 Art. 17.1b).",
    )


class _Step(_Strict):
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


class ConsultBranch(_Strict):
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


class Procedure(_Strict):
    """One administrative procedure, at one version."""

    schema_version: Literal[2]
    code: str = Field(pattern=r"^\d\.\d{6}$|^[a-z][a-z0-9-]*$")
    name: LocalizedName
    version: int = Field(ge=1)
    effective_from: date | None = Field(
        default=None,
        description="The day this version takes effect (new dossiers from then on take it); "
        "optional for the first version, which is then in force from the start. A later version "
        "without it is a draft, never in force.",
    )
    agency: Slug
    level: Level
    legal_basis: list[str] = Field(min_length=1)
    deadline: Deadline
    channels: list[Channel] = Field(min_length=1)
    fee: Fee | None = None
    documents: list[Document] = Field(default_factory=list)
    steps: list[Step] = Field(min_length=1)

    @property
    def full_process_online(self) -> bool:
        """Online end to end: filed online and no step needs the applicant in person."""
        return "online" in self.channels and not any(s.in_person for s in self.steps)

    def step(self, step_id: str) -> Step:
        for s in self.steps:
            if s.id == step_id:
                return s
        raise KeyError(step_id)

    def document(self, document_id: str) -> Document | None:
        return next((d for d in self.documents if d.id == document_id), None)

    def sla_hours(self) -> dict[str, float]:
        """Working hours each step's SLA counts against the deadline, by step id.

        Human steps with an SLA count it; a consultation counts its slowest branch (branches
        run in parallel); other steps count nothing and are left out.
        """
        hours: dict[str, float] = {}
        for step in self.steps:
            if isinstance(step, ReceiptStep | ReviewStep | ApprovalStep) and step.sla:
                hours[step.id] = step.sla.hours
            elif isinstance(step, ConsultStep):
                hours[step.id] = max((b.sla.hours for b in step.branches if b.sla), default=0)
        return hours


class BundleMember(_Strict):
    id: Identifier
    procedure: str = Field(description="Code of the member procedure")
    after: list[Identifier] = Field(default_factory=list, description="Members that finish first")


class Bundle(_Strict):
    """Interconnected procedures (Decree 63/2024): one application, several agencies."""

    schema_version: Literal[2]
    kind: Literal["bundle"]
    code: str = Field(pattern=r"^\d\.\d{6}$|^[a-z][a-z0-9-]*$")
    name: LocalizedName
    version: int = Field(ge=1)
    effective_from: date | None = Field(
        default=None,
        description="The day this version takes effect (new dossiers from then on take it); "
        "optional for the first version, which is then in force from the start. A later version "
        "without it is a draft, never in force.",
    )
    lead_agency: Slug
    legal_basis: list[str] = Field(min_length=1)
    deadline: Deadline
    channels: list[Channel] = Field(min_length=1)
    members: list[BundleMember] = Field(min_length=2)
