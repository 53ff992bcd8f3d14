"""Claiming the heads of lines and recording how their delivery went.

Only the head of a line — a (subscription, dossier)'s lowest undelivered delivery — is ever
claimed, so a dossier's events go out one at a time, in order, while other dossiers' lines
proceed. A claim is a lease: the head's ``next_attempt_at`` is pushed forward with a
compare-and-set, so a second dispatcher skips it, and a dispatcher that dies mid-delivery only
delays the line until the lease ends. Delivery is therefore at least once: receivers
de-duplicate by delivery id (webhooks) or seq (the portal).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session, aliased

from motcua.dossier import Event
from motcua.store import DeliveryRow, EventRow, OutboxRow, SubscriptionRow

# Pending deliveries of a portal line that one push of the latest snapshot may settle.
_COVER_LIMIT = 500


@dataclass(frozen=True)
class Claim:
    """A line's head, leased to this dispatcher until ``leased_until``."""

    delivery_id: int
    subscription_id: str
    target: str
    url: str | None
    secret: str | None
    dossier_code: str
    attempts: int  # finished attempts before this one
    leased_until: datetime
    announced_at: datetime  # when the head's event entered the outbox
    event: Event | None  # None only if the log lost the row (a bug: the line parks)
    covers: tuple[int, ...] = field(default=())  # portal: later pending deliveries carried along
    newest: Event | None = None  # portal: the newest event among head and covers


@dataclass(frozen=True)
class Outcome:
    """How one attempt went; ``retryable=False`` parks the line at once."""

    ok: bool
    error: str | None = None
    retryable: bool = True


def claim_heads(
    session: Session,
    *,
    now: datetime,
    lease: timedelta,
    targets: Sequence[str],
    limit: int,
) -> list[Claim]:
    """Lease up to ``limit`` due line heads of active subscriptions. The caller commits."""
    d, earlier = DeliveryRow, aliased(DeliveryRow)
    blocked = (
        select(earlier.id)
        .where(
            earlier.subscription_id == d.subscription_id,
            earlier.dossier_code == d.dossier_code,
            earlier.outbox_id < d.outbox_id,
            earlier.status != "delivered",
        )
        .exists()
    )
    due = session.execute(
        select(d.id, d.next_attempt_at)
        .join(SubscriptionRow, SubscriptionRow.id == d.subscription_id)
        .where(
            SubscriptionRow.active.is_(True),
            SubscriptionRow.target.in_(targets),
            d.status == "pending",
            d.next_attempt_at <= now,
            ~blocked,
        )
        .order_by(d.next_attempt_at, d.id)
        .limit(limit)
    ).all()
    until = now + lease
    claims = []
    for delivery_id, seen in due:
        won = session.execute(
            update(d)
            .where(d.id == delivery_id, d.status == "pending", d.next_attempt_at == seen)
            .values(next_attempt_at=until)
        )
        if won.rowcount == 1:  # type: ignore[attr-defined]
            claims.append(_load(session, delivery_id, until))
    return claims


def _load(session: Session, delivery_id: int, until: datetime) -> Claim:
    delivery = session.get_one(DeliveryRow, delivery_id)
    subscription = session.get_one(SubscriptionRow, delivery.subscription_id)
    outbox = session.get_one(OutboxRow, delivery.outbox_id)
    event = _event(session, outbox.event_id)
    covers: tuple[int, ...] = ()
    newest = event
    if subscription.target == "portal":
        later = session.execute(
            select(DeliveryRow.id, OutboxRow.event_id)
            .join(OutboxRow, OutboxRow.id == DeliveryRow.outbox_id)
            .where(
                DeliveryRow.subscription_id == delivery.subscription_id,
                DeliveryRow.dossier_code == delivery.dossier_code,
                DeliveryRow.status == "pending",
                DeliveryRow.outbox_id > delivery.outbox_id,
            )
            .order_by(DeliveryRow.outbox_id)
            .limit(_COVER_LIMIT)
        ).all()
        if later:
            covers = tuple(row.id for row in later)
            newest = _event(session, later[-1].event_id) or event
    return Claim(
        delivery_id=delivery.id,
        subscription_id=subscription.id,
        target=subscription.target,
        url=subscription.url,
        secret=subscription.secret,
        dossier_code=delivery.dossier_code,
        attempts=delivery.attempts,
        leased_until=until,
        announced_at=outbox.created_at,
        event=event,
        covers=covers,
        newest=newest,
    )


def _event(session: Session, event_id: str) -> Event | None:
    row = session.get(EventRow, event_id)
    return None if row is None else row.to_event()


def record(
    session: Session,
    claim: Claim,
    outcome: Outcome,
    *,
    now: datetime,
    max_attempts: int,
    retry_in: timedelta,
) -> str:
    """Store the outcome of an attempt; returns ``delivered``, ``retry``, ``parked`` or ``lost``.

    ``lost``: the lease ran out and another dispatcher took the line over, so this failure is
    not recorded (the other dispatcher's attempt counts). The caller commits.
    """
    d = DeliveryRow
    if outcome.ok:
        session.execute(
            update(d)
            .where(d.id.in_([claim.delivery_id, *claim.covers]), d.status == "pending")
            .values(status="delivered", delivered_at=now, last_error=None)
        )
        session.execute(
            update(d).where(d.id == claim.delivery_id).values(attempts=claim.attempts + 1)
        )
        return "delivered"
    attempts = claim.attempts + 1
    parked = not outcome.retryable or attempts >= max_attempts
    changed = session.execute(
        update(d)
        .where(
            d.id == claim.delivery_id,
            d.status == "pending",
            d.next_attempt_at == claim.leased_until,
        )
        .values(
            status="parked" if parked else "pending",
            attempts=attempts,
            last_error=(outcome.error or "failed")[:2000],
            next_attempt_at=now if parked else now + retry_in,
        )
    )
    if changed.rowcount != 1:  # type: ignore[attr-defined]
        return "lost"
    return "parked" if parked else "retry"
