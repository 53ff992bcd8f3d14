"""``GET /v1/procedures``: the public catalogue a portal shows before a citizen files.

No token needed. Each procedure says what the citizen must bring and what they need not —
documents a database provides (``replaced_by``) are never asked for (Decree 118/2025 Art. 17.1b)
— what it costs on each channel, and how long it takes.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from motcua.api._context import ContextDep
from motcua.api._errors import ApiError, not_found
from motcua.api._procedure_views import (
    BundleView,
    CatalogEntry,
    CatalogView,
    ProcedureView,
    VersionView,
    bundle_view,
    summary,
    versions,
    view,
)
from motcua.definitions import Bundle, Catalog, diff_procedures
from motcua.engine import filing_day

router = APIRouter(tags=["procedures"])


class ChangeView(BaseModel):
    kind: str = Field(description="e.g. step_removed, step_automated, sla_changed, fee_changed")
    subject: str = Field(description="The step or document id, or the field")
    message: str


class DiffView(BaseModel):
    before: str = Field(description="CODE@VERSION")
    after: str
    changes: list[ChangeView] = Field(description="Changes that matter; empty: none")
    consequences: list[str] = Field(description='What follows, e.g. "sum of SLAs now …"')
    wording: list[ChangeView] = Field(description="Names, legal basis, references")


def _bundles_in_force(catalog: Catalog, today: date) -> dict[str, Bundle]:
    found = {}
    for code in sorted({b.code for b in catalog.bundles()}):
        try:
            found[code] = catalog.bundle_in_force(code, today)
        except KeyError:
            continue  # not in force yet
    return found


@router.get("/procedures", summary="The procedure catalogue", response_model=CatalogView)
async def list_procedures(ctx: ContextDep) -> CatalogView:
    """Every procedure at the version in force today, with all its versions, and every
    interconnected bundle in force with its members."""
    catalog, today = ctx.catalog, filing_day()
    entries = []
    for code in sorted({p.code for p in catalog.procedures()}):
        try:
            current = catalog.in_force(code, today)
        except KeyError:
            continue  # no version in force yet: nothing a citizen can file
        entries.append(
            CatalogEntry(
                **summary(catalog, current, today).model_dump(),
                versions=versions(catalog, code, today),
            )
        )
    bundles = _bundles_in_force(catalog, today).values()
    return CatalogView(
        procedures=entries, bundles=[bundle_view(catalog, b, today) for b in bundles]
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
    version: Annotated[int | None, Query(ge=1, description="In force today when absent")] = None,
) -> ProcedureView | BundleView:
    """Documents required (and those a database provides), fees by channel, deadline, steps."""
    catalog, today = ctx.catalog, filing_day()
    try:
        if code in {b.code for b in catalog.bundles()}:
            bundle = (
                catalog.bundle_in_force(code, today)
                if version is None
                else catalog.bundle(code, version)
            )
            return bundle_view(catalog, bundle, today)
        procedure = catalog.in_force(code, today) if version is None else catalog.get(code, version)
    except KeyError:
        suffix = f" version {version}" if version is not None else " in force today"
        raise not_found(f"procedure {code}{suffix}") from None
    return view(catalog, procedure, today)


@router.get(
    "/procedures/{code}/versions",
    summary="Every version of a procedure and which is in force",
    response_model=list[VersionView],
    responses={404: {"description": "No such procedure"}},
)
async def list_versions(code: str, ctx: ContextDep) -> list[VersionView]:
    """Each version with its ``effective_from`` and status (in force, superseded, scheduled,
    draft)."""
    found = versions(ctx.catalog, code, filing_day())
    if not found:
        raise not_found(f"procedure {code}")
    return found


@router.get(
    "/procedures/{code}/diff",
    summary="What changed between two versions",
    response_model=DiffView,
    responses={404: {"description": "No such procedure or version"}},
)
async def diff_versions(
    code: str,
    ctx: ContextDep,
    before: Annotated[int, Query(alias="from", ge=1, description="The earlier version")],
    after: Annotated[int, Query(alias="to", ge=1, description="The later version")],
) -> DiffView:
    """Steps added, removed, reordered or made automatic; roles, SLAs, documents, fees, the
    deadline; what follows; and wording changes apart."""
    known = [p.version for p in ctx.catalog.versions(code)]
    if not known:
        raise not_found(f"procedure {code}")
    for version in (before, after):
        if version not in known:
            listed = ", ".join(map(str, known))
            message = f"procedure {code} has no version {version}; known versions: {listed}"
            raise ApiError(404, "not_found", message, {"versions": known})
    old, new = ctx.catalog.get(code, before), ctx.catalog.get(code, after)
    return DiffView.model_validate(diff_procedures(old, new).to_dict())
