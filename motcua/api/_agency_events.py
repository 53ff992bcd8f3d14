"""Events in from agency systems, with a service token: replies pushed by a consulted agency's
system, and changes the National Population Database announces about applicants. Each becomes an
update or a signal of the dossiers it concerns."""

from __future__ import annotations

from typing import Annotated

import structlog
from fastapi import APIRouter, Body, Depends
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from temporalio.service import RPCError, RPCStatusCode

from adapters.consultation import ConsultationReply
from adapters.population import PopulationChange
from motcua.api._auth import Service, service
from motcua.api._comments import store_comment
from motcua.api._context import ApiContext, ContextDep
from motcua.api._errors import ApiError, engine_error, not_found
from motcua.definitions import ConsultStep
from motcua.dossier import TERMINAL_STATUSES, ConsultationReplyInput, PopulationChangeInput
from motcua.engine import CommandRefused, Dossier
from motcua.store import DossierRow, get_dossier

router = APIRouter(tags=["events in"])
log = structlog.get_logger("motcua.api.agency_events")


class ReplyAccepted(BaseModel):
    model_config = ConfigDict(frozen=True)

    reference: str
    dossier_code: str
    status: str = Field(description="The dossier's status once the reply was recorded")
    message: str


class ChangeDelivered(BaseModel):
    """A change acknowledged by its cursor. Which dossiers it reached is not said: the
    population system learns nothing about a citizen's dealings with the agencies."""

    model_config = ConfigDict(frozen=True)

    cursor: int


class ChangesDelivered(BaseModel):
    model_config = ConfigDict(frozen=True)

    changes: list[ChangeDelivered]


# ---------------------------------------------------------------- consultation replies

ConsultationService = Annotated[Service, service("consultation")]


@router.post(
    "/consultations/{reference:path}/reply",
    summary="Reply to a consultation (pushed by the consulted agency's system)",
    responses={
        404: {"description": "No such consultation, or not one addressed to the caller"},
        409: {"description": "The consultation is not waiting for a reply"},
    },
)
async def consultation_reply(
    reference: str, body: ConsultationReply, who: ConsultationService, ctx: ContextDep
) -> ReplyAccepted:
    """The reply of a system-answered consultation branch (reference
    ``{dossier code}/{step}.{branch}``), sooner than the engine would poll for it; whichever
    arrives first is recorded, the other is ignored."""
    code, _, branch_key = reference.partition("/")
    step_id, _, branch_id = branch_key.partition(".")
    row = await run_in_threadpool(_dossier, ctx, code)
    agency = _consulted_agency(ctx, row, step_id, branch_id) if row is not None else None
    if row is None or agency is None or agency not in who.agencies:
        raise not_found(f"consultation {reference}")  # nor reveal one of another agency
    comment_id = None
    if body.comment.strip():  # the agency's answer: kept for the dossier's officers only
        comment_id = await store_comment(
            ctx,
            who,
            dossier_code=code,
            kind="consultation_reply",
            text=body.comment,
            citizen_visible=False,
        )
    reply = ConsultationReplyInput(
        reference=reference,
        service_id=who.id,
        outcome=body.outcome,
        comment_id=comment_id,
        officer=body.officer,
        replied_at=body.replied_at,
    )
    try:
        ack = await Dossier(ctx.engine(), row.workflow_id).consultation_replied(reply)
    except CommandRefused as exc:
        raise ApiError(409, "not_waiting", exc.message) from None
    except RPCError as exc:
        raise engine_error(exc) from None
    return ReplyAccepted(
        reference=reference, dossier_code=code, status=ack.status, message=ack.message
    )


def _dossier(ctx: ApiContext, code: str) -> DossierRow | None:
    with ctx.reads() as session:
        return get_dossier(session, code)


def _consulted_agency(ctx: ApiContext, row: DossierRow, step_id: str, branch_id: str) -> str | None:
    """The agency a system-answered branch of the dossier's pinned procedure consults."""
    try:
        procedure = ctx.catalog.get(row.procedure_code, row.procedure_version)
    except KeyError:
        return None
    for step in procedure.steps:
        if isinstance(step, ConsultStep) and step.id == step_id:
            for branch in step.branches:
                if branch.id == branch_id and branch.answered_by == "system":
                    return branch.agency
    return None


# -------------------------------------------------------------------- population changes


def population_system(who: Annotated[Service, service("population")], ctx: ContextDep) -> Service:
    """The National Population Database's system: the scope alone is not enough, the caller
    must be the one service id configured (``MOTCUA_POPULATION_SERVICE_ID``)."""
    expected = ctx.settings.population_service_id
    if expected is None or who.id != expected:
        raise ApiError(
            403,
            "forbidden",
            "only the population system (MOTCUA_POPULATION_SERVICE_ID"
            + (")" if expected else ", not configured)")
            + " may post population changes",
        )
    return who


PopulationService = Annotated[Service, Depends(population_system)]


@router.post(
    "/population/changes",
    summary="Population-data changes (from the National Population Database)",
    responses={503: {"description": "The engine is unavailable: retry (changes are idempotent)"}},
)
async def population_changes(
    body: Annotated[PopulationChange | list[PopulationChange], Body()],
    who: PopulationService,
    ctx: ContextDep,
) -> ChangesDelivered:
    """Send each change to its applicant's open dossiers: a death before the decision closes
    them (refused, a paid fee refunded), any other change is recorded for the officers. The
    same change (cursor) sent twice is recorded once. The answer acknowledges cursors only."""
    changes = body if isinstance(body, list) else [body]
    client = ctx.engine()
    delivered = []
    for change in changes:
        codes = []
        for workflow_id, code in await run_in_threadpool(_open_dossiers, ctx, change.personal_id):
            signal = PopulationChangeInput.model_validate(change.model_dump())
            try:
                await Dossier(client, workflow_id).population_changed(signal)
            except RPCError as exc:
                if exc.status == RPCStatusCode.NOT_FOUND:
                    continue  # closed since the read model last heard of it
                raise engine_error(exc) from None
            codes.append(code)
        log.info("population.change_delivered", cursor=change.cursor, dossiers=len(codes))
        delivered.append(ChangeDelivered(cursor=change.cursor))
    return ChangesDelivered(changes=delivered)


def _open_dossiers(ctx: ApiContext, personal_id: str) -> list[tuple[str, str]]:
    with ctx.reads() as session:
        rows = session.execute(
            select(DossierRow.workflow_id, DossierRow.dossier_code)
            .where(
                DossierRow.applicant_id == personal_id,
                DossierRow.status.not_in(TERMINAL_STATUSES),
            )
            .order_by(DossierRow.dossier_code)
        )
        return [(workflow_id, code) for workflow_id, code in rows]
