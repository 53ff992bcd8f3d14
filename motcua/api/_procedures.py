"""``GET /v1/procedures``: the public catalogue a portal shows before a citizen files.

No token needed. Each procedure says what the citizen must bring and what they need not —
documents a database provides (``replaced_by``) are never asked for (Decree 118/2025 Art. 17.1b)
— what it costs on each channel, and how long it takes.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from motcua.api._context import ContextDep
from motcua.api._errors import not_found
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

router = APIRouter(tags=["procedures"])
Channel = Literal["online", "counter", "post"]


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


class ProcedureSummary(BaseModel):
    kind: Literal["procedure"] = "procedure"
    code: str
    version: int
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


class CatalogView(BaseModel):
    procedures: list[ProcedureSummary]
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


def summary(catalog: Catalog, procedure: Procedure) -> ProcedureSummary:
    return ProcedureSummary(
        code=procedure.code,
        version=procedure.version,
        name=procedure.name,
        agency=_agency(catalog, procedure.agency),
        level=procedure.level,
        deadline=procedure.deadline,
        channels=list(procedure.channels),
        full_process_online=procedure.full_process_online,
        fee=_fee(procedure.fee, list(procedure.channels)),
    )


def view(catalog: Catalog, procedure: Procedure) -> ProcedureView:
    return ProcedureView(
        **summary(catalog, procedure).model_dump(),
        legal_basis=list(procedure.legal_basis),
        documents=_documents(catalog, procedure),
        steps=_steps(procedure),
    )


def bundle_view(catalog: Catalog, bundle: Bundle) -> BundleView:
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
                procedure=summary(catalog, catalog.latest(m.procedure)),
            )
            for m in bundle.members
            if m.procedure in catalog
        ],
    )


def _latest_bundles(catalog: Catalog) -> dict[str, Bundle]:
    return {code: catalog.bundle(code) for code in sorted({b.code for b in catalog.bundles()})}


@router.get("/procedures", summary="The procedure catalogue", response_model=CatalogView)
async def list_procedures(ctx: ContextDep) -> CatalogView:
    """Every procedure (latest version) and every interconnected bundle with its members."""
    catalog = ctx.catalog
    codes = sorted({p.code for p in catalog.procedures()})
    return CatalogView(
        procedures=[summary(catalog, catalog.latest(code)) for code in codes],
        bundles=[bundle_view(catalog, b) for b in _latest_bundles(catalog).values()],
    )


@router.get(
    "/procedures/{code}",
    summary="One procedure or bundle",
    response_model=ProcedureView | BundleView,
    responses={404: {"description": "No such procedure or version"}},
)
async def read_procedure(
    code: str,
    ctx: ContextDep,
    version: Annotated[int | None, Query(ge=1, description="Latest when absent")] = None,
) -> ProcedureView | BundleView:
    """Documents required (and those a database provides), fees by channel, deadline, steps."""
    catalog = ctx.catalog
    try:
        if code in _latest_bundles(catalog):
            return bundle_view(catalog, catalog.bundle(code, version))
        procedure = catalog.latest(code) if version is None else catalog.get(code, version)
    except KeyError:
        suffix = f" version {version}" if version is not None else ""
        raise not_found(f"procedure {code}{suffix}") from None
    return view(catalog, procedure)
