"""What the procedure catalogue shows of a procedure or bundle: the JSON views and how they are
built from the definitions (documents a database provides, fees by channel, steps, versions)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from motcua.definitions import (
    Bundle,
    Catalog,
    ConsultStep,
    Deadline,
    Fee,
    LocalizedName,
    Procedure,
    WorkSpan,
)

Channel = Literal["online", "counter", "post"]
VersionStatus = Literal["in_force", "superseded", "scheduled", "draft"]


class AgencyView(BaseModel):
    id: str
    code: str | None = Field(description="Agency code, the dossier-code prefix")
    name: LocalizedName | None


class DocumentView(BaseModel):
    id: str
    name: str
    required: bool = Field(description="Always required (see required_when otherwise)")
    required_when: str | None = Field(description="Required only when this condition holds")
    provided_by: str | None = Field(description="Data source that provides it (replaced_by)")
    provided_by_name: str | None
    citizen_supplies: bool = Field(description="False: a database provides it, never asked for")


class FeeRateView(BaseModel):
    when: str
    by_channel: dict[str, int]


class FeeView(BaseModel):
    currency: str
    by_channel: dict[str, int] = Field(description="Amount for each channel offered")
    exempt_when: str | None = Field(description="Applicants matching this pay nothing")
    reduced: list[FeeRateView]
    reference: str | None


class StepView(BaseModel):
    id: str
    kind: str
    name: str | None
    role: str | None
    agencies: list[str] = Field(description="Who acts: the step's agency or consulted agencies")
    sla: WorkSpan | None
    in_person: bool


class VersionView(BaseModel):
    version: int
    effective_from: date | None = Field(description="Null: the first version, or a draft")
    status: VersionStatus = Field(
        description="in_force: new dossiers take it; superseded: a later one is in force; "
        "scheduled: takes effect later; draft: no effective_from, never in force"
    )


class ProcedureSummary(BaseModel):
    kind: Literal["procedure"] = "procedure"
    code: str
    version: int
    effective_from: date | None
    status: VersionStatus
    name: LocalizedName
    agency: AgencyView
    level: str
    deadline: Deadline
    channels: list[Channel]
    full_process_online: bool
    fee: FeeView | None = Field(description="Null when free")


class ProcedureView(ProcedureSummary):
    legal_basis: list[str]
    documents: list[DocumentView]
    steps: list[StepView]


class BundleMemberView(BaseModel):
    id: str
    after: list[str] = Field(description="Members that finish first")
    procedure: ProcedureSummary


class BundleView(BaseModel):
    kind: Literal["bundle"] = "bundle"
    code: str
    version: int
    name: LocalizedName
    lead_agency: AgencyView
    legal_basis: list[str]
    deadline: Deadline
    channels: list[Channel]
    members: list[BundleMemberView]


class CatalogEntry(ProcedureSummary):
    versions: list[VersionView] = Field(description="Every version, lowest first")


class CatalogView(BaseModel):
    procedures: list[CatalogEntry] = Field(description="Each procedure at its version in force")
    bundles: list[BundleView]


def _agency(catalog: Catalog, agency_id: str) -> AgencyView:
    known = catalog.registry.agencies.get(agency_id) if catalog.registry else None
    return AgencyView(
        id=agency_id, code=known.code if known else None, name=known.name if known else None
    )


def _fee(fee: Fee | None, channels: list[Channel]) -> FeeView | None:
    if fee is None or fee.is_free:
        return None

    def rates(online: int, counter: int) -> dict[str, int]:
        return {c: online if c == "online" else counter for c in channels}

    return FeeView(
        currency=fee.currency,
        by_channel=rates(fee.online, fee.counter),
        exempt_when=fee.exempt_when,
        reduced=[
            FeeRateView(when=r.when, by_channel=rates(r.online, r.counter)) for r in fee.reduced
        ],
        reference=fee.reference,
    )


def _documents(catalog: Catalog, procedure: Procedure) -> list[DocumentView]:
    sources = catalog.registry.data_sources if catalog.registry else {}
    return [
        DocumentView(
            id=d.id,
            name=d.name,
            required=d.required is True,
            required_when=d.required if isinstance(d.required, str) else None,
            provided_by=d.replaced_by,
            provided_by_name=sources.get(d.replaced_by) if d.replaced_by else None,
            citizen_supplies=d.replaced_by is None,
        )
        for d in procedure.documents
    ]


def _steps(procedure: Procedure) -> list[StepView]:
    views = []
    for step in procedure.steps:
        role = getattr(step, "role", None)
        if isinstance(step, ConsultStep):
            agencies = [b.agency for b in step.branches]
        else:
            agencies = [getattr(step, "agency", None) or procedure.agency]
        views.append(
            StepView(
                id=step.id,
                kind=step.kind,
                name=step.name,
                role=role,
                agencies=agencies,
                sla=getattr(step, "sla", None),
                in_person=step.in_person,
            )
        )
    return views


def status(catalog: Catalog, procedure: Procedure, today: date) -> VersionStatus:
    """Where ``procedure`` stands among its code's versions on ``today``."""
    try:
        current = catalog.in_force(procedure.code, today)
    except KeyError:
        current = None
    if current is not None and current.version == procedure.version:
        return "in_force"
    if current is not None and procedure.version < current.version:
        return "superseded"
    first = catalog.versions(procedure.code)[0].version == procedure.version
    return "draft" if procedure.effective_from is None and not first else "scheduled"


def versions(catalog: Catalog, code: str, today: date) -> list[VersionView]:
    return [
        VersionView(
            version=p.version, effective_from=p.effective_from, status=status(catalog, p, today)
        )
        for p in catalog.versions(code)
    ]


def summary(catalog: Catalog, procedure: Procedure, today: date) -> ProcedureSummary:
    return ProcedureSummary(
        code=procedure.code,
        version=procedure.version,
        effective_from=procedure.effective_from,
        status=status(catalog, procedure, today),
        name=procedure.name,
        agency=_agency(catalog, procedure.agency),
        level=procedure.level,
        deadline=procedure.deadline,
        channels=list(procedure.channels),
        full_process_online=procedure.full_process_online,
        fee=_fee(procedure.fee, list(procedure.channels)),
    )


def view(catalog: Catalog, procedure: Procedure, today: date) -> ProcedureView:
    return ProcedureView(
        **summary(catalog, procedure, today).model_dump(),
        legal_basis=list(procedure.legal_basis),
        documents=_documents(catalog, procedure),
        steps=_steps(procedure),
    )


def bundle_view(catalog: Catalog, bundle: Bundle, today: date) -> BundleView:
    return BundleView(
        code=bundle.code,
        version=bundle.version,
        name=bundle.name,
        lead_agency=_agency(catalog, bundle.lead_agency),
        legal_basis=list(bundle.legal_basis),
        deadline=bundle.deadline,
        channels=list(bundle.channels),
        members=[
            BundleMemberView(
                id=m.id,
                after=list(m.after),
                procedure=summary(catalog, catalog.in_force(m.procedure, today), today),
            )
            for m in bundle.members
            if _in_force(catalog, m.procedure, today)
        ],
    )


def _in_force(catalog: Catalog, code: str, today: date) -> bool:
    try:
        catalog.in_force(code, today)
    except KeyError:
        return False
    return True
