"""Strict pydantic models of a procedure definition (schema version 2).

A definition is data written by procedure designers in ``procedure_defs/*.yaml``. It is parsed
only at the edges (CLI, worker start-up, submission) and the validated, frozen model — not the
YAML — is pinned into each dossier's workflow input.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from motcua.definitions._parts import (
    CURRENT_SCHEMA_VERSION,
    Channel,
    Deadline,
    Document,
    Fee,
    FeeRate,
    Identifier,
    Level,
    LocalizedName,
    Slug,
    SourceName,
    Strict,
    WorkSpan,
)
from motcua.definitions._steps import (
    ApprovalStep,
    ConsultBranch,
    ConsultStep,
    HumanStep,
    PaymentStep,
    ReceiptStep,
    ResultStep,
    ReviewStep,
    Step,
    VerifyStep,
)

__all__ = [
    "CURRENT_SCHEMA_VERSION",
    "ApprovalStep",
    "Bundle",
    "BundleMember",
    "ConsultBranch",
    "ConsultStep",
    "Deadline",
    "Document",
    "Fee",
    "FeeRate",
    "HumanStep",
    "Level",
    "LocalizedName",
    "PaymentStep",
    "Procedure",
    "ReceiptStep",
    "ResultStep",
    "ReviewStep",
    "Slug",
    "SourceName",
    "Step",
    "VerifyStep",
    "WorkSpan",
]


class Procedure(Strict):
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


class BundleMember(Strict):
    id: Identifier
    procedure: str = Field(description="Code of the member procedure")
    after: list[Identifier] = Field(default_factory=list, description="Members that finish first")


class Bundle(Strict):
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
