"""Webhook subscriptions of portal services: create, list, read, deactivate, watch, retry.

A portal system (a service token with scope ``portal``) subscribes a URL to the events of the
dossiers it cares about (by event type and agency); ``motcua outbox run`` delivers them signed,
in order per dossier (see :mod:`motcua.outbox`). The secret is shown once, at creation. A
service sees only its own subscriptions: another's is 404, so ids cannot be probed. A service
token that names agencies may subscribe only to those agencies' events.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from motcua.api._auth import Service, service
from motcua.api._context import ApiContext, ContextDep
from motcua.api._errors import ApiError, not_found
from motcua.dossier import EVENT_TYPES
from motcua.outbox import backlog, create_webhook, unpark, url_refusal
from motcua.store import DeliveryRow, OutboxRow, SubscriptionRow

router = APIRouter(tags=["webhooks"])

PortalDep = Annotated[Service, service("portal")]
WebhookId = Annotated[str, Path(min_length=1, max_length=100, description="From POST /webhooks")]
MAX_ACTIVE = 25
_404: dict[int | str, dict[str, Any]] = {404: {"description": "No such subscription of yours"}}


class WebhookBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = Field(
        min_length=1,
        max_length=2000,
        description="http(s); https in production",
        examples=["https://portal.example.gov.vn/motcua/events"],
    )
    event_types: list[str] = Field(default_factory=list, description="[] for every type")
    agencies: list[str] = Field(default_factory=list, description="[] for every agency you see")


class Webhook(BaseModel):
    id: str
    url: str
    event_types: list[str]
    agencies: list[str]
    active: bool
    created_at: datetime
    pending: int = Field(description="Deliveries waiting (in line or for a retry)")
    parked: int = Field(description="Lines blocked after their attempts ran out: POST .../retry")


class WebhookCreated(Webhook):
    secret: str = Field(description="HMAC key of the X-Motcua-Signature header; shown only now")


class Delivery(BaseModel):
    id: int = Field(
        description="Also sent as X-Motcua-Delivery and in the body: de-duplicate by it"
    )
    event_id: str
    event_type: str
    dossier_code: str
    seq: int
    status: Literal["pending", "delivered", "parked"]
    attempts: int
    next_attempt_at: datetime | None = Field(description="For a pending delivery")
    last_error: str | None
    delivered_at: datetime | None


class DeliveryPage(BaseModel):
    items: list[Delivery]
    total: int
    limit: int
    offset: int
    next_offset: int | None = Field(description="Offset of the next page; null on the last")


class Retried(BaseModel):
    unparked: int = Field(description="Lines put back in line, with fresh attempts")


def _check_url(url: str, *, production: bool, allow_loopback: bool) -> None:
    parts = urlsplit(url)
    problem = None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        problem = "must be an absolute http or https URL"
    elif production and parts.scheme != "https":
        problem = "must use https in production"
    elif parts.username or parts.password:
        problem = "must not carry credentials: deliveries are signed with the secret instead"
    elif reason := url_refusal(url, allow_loopback=allow_loopback):
        # The same rule the dispatcher applies to every address a name resolves to.
        problem = f"must point at a public address: {reason}"
    if problem:
        raise ApiError(422, "invalid_url", f"the webhook URL {problem}", {"url": url})


def _check_filters(ctx: ApiContext, caller: Service, body: WebhookBody) -> list[str]:
    unknown_types = sorted(set(body.event_types) - EVENT_TYPES)
    if unknown_types:
        raise ApiError(422, "unknown_event_type", "no such event types", {"unknown": unknown_types})
    known = set(ctx.catalog.agencies())
    if unknown := sorted(set(body.agencies) - known):
        raise ApiError(422, "unknown_agency", "no such agencies", {"unknown": unknown})
    if not caller.agencies:
        return body.agencies
    if outside := sorted(set(body.agencies) - set(caller.agencies)):
        raise ApiError(
            403, "forbidden", "agencies outside your token's scope", {"agencies": outside}
        )
    return body.agencies or sorted(caller.agencies)


def _own(session: Session, caller: Service, webhook_id: str) -> SubscriptionRow:
    row = session.get(SubscriptionRow, webhook_id)
    if row is None or row.owner_id != caller.id or row.target != "webhook":
        raise not_found(f"webhook {webhook_id}")
    return row


def _view(session: Session, row: SubscriptionRow) -> Webhook:
    (counts,) = backlog(session, [row.id])
    return Webhook(
        id=row.id,
        url=row.url or "",
        event_types=row.event_types,
        agencies=row.agencies,
        active=row.active,
        created_at=row.created_at,
        pending=counts.pending,
        parked=counts.parked,
    )


@router.post("/webhooks", status_code=201, summary="Subscribe a URL to dossier events")
async def create(ctx: ContextDep, caller: PortalDep, body: WebhookBody) -> WebhookCreated:
    """Events logged from now on that match the filters are POSTed to ``url``, signed with the
    returned secret, one dossier's events in order. Keep the secret: it is not shown again."""
    settings = ctx.settings
    production = settings.environment == "production"
    _check_url(body.url, production=production, allow_loopback=settings.webhook_allow_loopback)
    agencies = _check_filters(ctx, caller, body)

    def write() -> WebhookCreated:
        with ctx.writes.begin() as session:
            active = session.scalar(
                select(func.count()).where(
                    SubscriptionRow.owner_id == caller.id, SubscriptionRow.active.is_(True)
                )
            )
            if (active or 0) >= MAX_ACTIVE:
                raise ApiError(
                    409, "too_many_webhooks", f"at most {MAX_ACTIVE} active webhooks per service"
                )
            row = create_webhook(
                session,
                owner_id=caller.id,
                url=body.url,
                event_types=body.event_types,
                agencies=agencies,
            )
            view = _view(session, row)
            return WebhookCreated(**view.model_dump(), secret=row.secret or "")

    return await run_in_threadpool(write)


@router.get("/webhooks", summary="Your webhook subscriptions")
async def list_webhooks(ctx: ContextDep, caller: PortalDep) -> list[Webhook]:
    """Active and deactivated, newest first; secrets are never shown again."""

    def read() -> list[Webhook]:
        with ctx.reads() as session:
            rows = session.scalars(
                select(SubscriptionRow)
                .where(SubscriptionRow.owner_id == caller.id, SubscriptionRow.target == "webhook")
                .order_by(SubscriptionRow.created_at.desc(), SubscriptionRow.id)
            )
            return [_view(session, row) for row in rows]

    return await run_in_threadpool(read)


@router.get("/webhooks/{webhook_id}", summary="One webhook subscription", responses=_404)
async def get_webhook(ctx: ContextDep, caller: PortalDep, webhook_id: WebhookId) -> Webhook:
    def read() -> Webhook:
        with ctx.reads() as session:
            return _view(session, _own(session, caller, webhook_id))

    return await run_in_threadpool(read)


@router.delete(
    "/webhooks/{webhook_id}", status_code=204, summary="Deactivate a webhook", responses=_404
)
async def delete_webhook(ctx: ContextDep, caller: PortalDep, webhook_id: WebhookId) -> Response:
    """Nothing more is delivered to it; its delivery history stays readable."""

    def write() -> None:
        with ctx.writes.begin() as session:
            _own(session, caller, webhook_id).active = False

    await run_in_threadpool(write)
    return Response(status_code=204)


@router.get("/webhooks/{webhook_id}/deliveries", summary="A webhook's deliveries", responses=_404)
async def deliveries(
    ctx: ContextDep,
    caller: PortalDep,
    webhook_id: WebhookId,
    status: Annotated[
        Literal["pending", "delivered", "parked"] | None, Query(description="Only this status")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> DeliveryPage:
    """Newest first."""

    def read() -> DeliveryPage:
        with ctx.reads() as session:
            _own(session, caller, webhook_id)
            where = [DeliveryRow.subscription_id == webhook_id]
            if status is not None:
                where.append(DeliveryRow.status == status)
            total = session.scalar(select(func.count()).select_from(DeliveryRow).where(*where))
            rows = session.execute(
                select(DeliveryRow, OutboxRow)
                .join(OutboxRow, OutboxRow.id == DeliveryRow.outbox_id)
                .where(*where)
                .order_by(DeliveryRow.outbox_id.desc())
                .limit(limit)
                .offset(offset)
            ).all()
        items = [
            Delivery(
                id=d.id,
                event_id=o.event_id,
                event_type=o.type,
                dossier_code=d.dossier_code,
                seq=o.seq,
                status=d.status,
                attempts=d.attempts,
                next_attempt_at=d.next_attempt_at if d.status == "pending" else None,
                last_error=d.last_error,
                delivered_at=d.delivered_at,
            )
            for d, o in rows
        ]
        total = total or 0
        more = offset + len(items) < total
        return DeliveryPage(
            items=items,
            total=total,
            limit=limit,
            offset=offset,
            next_offset=offset + len(items) if more and items else None,
        )

    return await run_in_threadpool(read)


@router.post(
    "/webhooks/{webhook_id}/retry", summary="Unpark a webhook's blocked lines", responses=_404
)
async def retry(
    ctx: ContextDep,
    caller: PortalDep,
    webhook_id: WebhookId,
    dossier: Annotated[str | None, Query(description="Only this dossier's line")] = None,
) -> Retried:
    """Parked deliveries go back in line with fresh attempts; their dossiers' later events
    follow them in order."""

    def write() -> int:
        with ctx.writes.begin() as session:
            _own(session, caller, webhook_id)
            return unpark(session, webhook_id, dossier_code=dossier)

    return Retried(unparked=await run_in_threadpool(write))
