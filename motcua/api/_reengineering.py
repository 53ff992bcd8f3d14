"""``POST /v1/procedures/simulate`` and ``GET /v1/procedures/{code}/compare``: the designer's
reengineering loop over HTTP, the same figures as ``motcua procedures simulate`` / ``compare``
with ``--json``. Operators only (``MOTCUA_OPERATOR_ROLE``): the figures describe officers'
work."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query
from starlette.concurrency import run_in_threadpool

from motcua.analysis import (
    NoDossiers,
    check_draft,
    compare_versions,
    simulate_draft,
    version_before,
)
from motcua.api._auth import OperatorDep
from motcua.api._context import ContextDep
from motcua.api._errors import ApiError
from motcua.api._kpis import _bound
from motcua.definitions import BadReference, DefinitionError, Procedure, resolve_ref
from worker import worker_calendar

router = APIRouter(tags=["reengineering"])

_DRAFT = "draft.yaml"


def _resolve(ctx: ContextDep, text: str) -> Procedure:
    try:
        return resolve_ref(ctx.catalog, text)
    except BadReference as exc:
        raise ApiError(404, "not_found", str(exc)) from None


def _check(ctx: ContextDep, text: str) -> Procedure:
    """The draft in ``text``, or a 422 listing the linter's problems (located in the body)."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / _DRAFT
        path.write_text(text, encoding="utf-8")
        try:
            return check_draft(path, ctx.catalog)
        except DefinitionError as exc:
            details = [{"line": p.line, "path": p.path, "message": p.message} for p in exc.problems]
            message = f"the draft has {len(details)} problem(s)"
            raise ApiError(422, "invalid_definition", message, details) from None


@router.post("/procedures/simulate", summary="Replay the observed dossiers through a draft")
async def simulate(
    ctx: ContextDep,
    _: OperatorDep,
    draft_yaml: Annotated[
        str, Body(media_type="application/yaml", description="The draft definition (YAML)")
    ],
    against: Annotated[
        str | None,
        Query(description="CODE@V whose dossiers to replay [default: the version before]"),
    ] = None,
    since: Annotated[str | None, Query(description="Only dossiers submitted since")] = None,
) -> dict[str, Any]:
    """Observed and projected lead time (median, p90), on-time rate, officer hours, documents
    and visits per dossier, each with a 95% bootstrap interval, and warnings."""
    draft = _check(ctx, draft_yaml)
    try:
        observed = _resolve(ctx, against) if against else version_before(ctx.catalog, draft)
    except NoDossiers as exc:
        raise ApiError(404, "not_found", str(exc)) from None
    start = _bound(since, "since", ctx.settings.agency_timezone)
    calendar = worker_calendar(ctx.settings)

    def run() -> dict[str, Any]:
        with ctx.reads() as session:
            return simulate_draft(
                session, draft, observed, calendar=calendar, since=start
            ).to_dict()

    try:
        return await run_in_threadpool(run)
    except NoDossiers as exc:
        raise ApiError(404, "not_found", str(exc)) from None


@router.get("/procedures/{code}/compare", summary="Two versions before and after")
async def compare(
    code: str,
    ctx: ContextDep,
    _: OperatorDep,
    a: Annotated[int, Query(ge=1, description="The version before")],
    b: Annotated[int, Query(ge=1, description="The version after")],
    start: Annotated[str | None, Query(alias="from", description="Submitted from")] = None,
    end: Annotated[str | None, Query(alias="to", description="Submitted before")] = None,
) -> dict[str, Any]:
    """Lead time, per-step waiting and working, on-time, supplement and refusal rates of the
    dossiers each version ran, with intervals, Cliff's delta and a Mann-Whitney p-value;
    dossiers open across the change apart."""
    if a == b:
        raise ApiError(422, "invalid_request", "'a' and 'b' must be two different versions")
    before, after = _resolve(ctx, f"{code}@{a}"), _resolve(ctx, f"{code}@{b}")
    zone = ctx.settings.agency_timezone
    since, until = _bound(start, "from", zone), _bound(end, "to", zone)
    if since is not None and until is not None and until <= since:
        raise ApiError(422, "invalid_request", "'to' must be after 'from'")
    calendar = worker_calendar(ctx.settings)

    def run() -> dict[str, Any]:
        with ctx.reads() as session:
            result = compare_versions(
                session, before, after, calendar=calendar, start=since, end=until
            )
            return result.to_dict()

    try:
        return await run_in_threadpool(run)
    except NoDossiers as exc:
        raise ApiError(404, "not_found", str(exc)) from None
