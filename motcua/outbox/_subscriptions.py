"""Subscriptions and their lines, as operators and the API manage them: create, unpark, count.

A *line* is one subscription's deliveries of one dossier, in outbox order. Its head is its
lowest undelivered delivery; a parked head blocks the line until an operator retries it, so no
event is ever skipped.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from motcua.store import DeliveryRow, OutboxRow, SubscriptionRow, dialect_insert

PORTAL_SUBSCRIPTION = "national-portal"
SYSTEM_OWNER = "motcua"


def new_secret() -> str:
    """A webhook's HMAC key: shown to its owner once, at creation."""
    return "whsec_" + secrets.token_urlsafe(32)


def create_webhook(
    session: Session,
    *,
    owner_id: str,
    url: str,
    event_types: list[str],
    agencies: list[str],
    now: datetime | None = None,
) -> SubscriptionRow:
    """Add a webhook subscription that receives the events logged from now on.

    Its cursor starts at the newest outbox id: a new subscriber is not flooded with history.
    The caller commits.
    """
    newest = session.scalar(select(func.max(OutboxRow.id))) or 0
    row = SubscriptionRow(
        id=f"wh_{uuid.uuid4().hex[:20]}",
        owner_id=owner_id,
        target="webhook",
        url=url,
        secret=new_secret(),
        event_types=sorted(set(event_types)),
        agencies=sorted(set(agencies)),
        active=True,
        cursor=newest,
        created_at=now or datetime.now(UTC),
    )
    session.add(row)
    session.flush()
    return row


def ensure_portal_subscription(session: Session) -> None:
    """Create the national-portal status sync subscription if it is missing.

    It starts at cursor 0, so every dossier already in the log reaches the portal (each
    dossier's backlog collapses into one push of its latest snapshot). An operator who
    deactivated it keeps it deactivated. The caller commits.
    """
    stmt = dialect_insert(session)(SubscriptionRow).values(
        id=PORTAL_SUBSCRIPTION,
        owner_id=SYSTEM_OWNER,
        target="portal",
        url=None,
        secret=None,
        event_types=[],
        agencies=[],
        active=True,
        cursor=0,
        created_at=datetime.now(UTC),
    )
    session.execute(stmt.on_conflict_do_nothing())


def unpark(
    session: Session,
    subscription_id: str,
    *,
    dossier_code: str | None = None,
    now: datetime | None = None,
) -> int:
    """Put a subscription's parked deliveries back in line, due now, with fresh attempts.

    Returns:
        How many deliveries were unparked (one per blocked line). The caller commits.
    """
    stmt = (
        update(DeliveryRow)
        .where(DeliveryRow.subscription_id == subscription_id, DeliveryRow.status == "parked")
        .values(status="pending", attempts=0, next_attempt_at=now or datetime.now(UTC))
    )
    if dossier_code is not None:
        stmt = stmt.where(DeliveryRow.dossier_code == dossier_code)
    return session.execute(stmt).rowcount or 0  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Backlog:
    """Undelivered deliveries of one subscription."""

    subscription_id: str
    target: str
    owner_id: str
    active: bool
    cursor: int
    pending: int
    parked: int
    oldest_pending_at: datetime | None


def backlog(session: Session, subscription_ids: list[str] | None = None) -> list[Backlog]:
    """Pending and parked counts per subscription (every subscription when ids is None)."""
    counts = (
        select(
            DeliveryRow.subscription_id,
            DeliveryRow.status,
            func.count(),
            func.min(OutboxRow.created_at),
        )
        .join(OutboxRow, OutboxRow.id == DeliveryRow.outbox_id)
        .where(DeliveryRow.status != "delivered")
        .group_by(DeliveryRow.subscription_id, DeliveryRow.status)
    )
    subs = select(SubscriptionRow).order_by(SubscriptionRow.created_at, SubscriptionRow.id)
    if subscription_ids is not None:
        counts = counts.where(DeliveryRow.subscription_id.in_(subscription_ids))
        subs = subs.where(SubscriptionRow.id.in_(subscription_ids))
    by_sub: dict[tuple[str, str], tuple[int, datetime | None]] = {
        (sub_id, status): (n, oldest) for sub_id, status, n, oldest in session.execute(counts)
    }
    return [
        Backlog(
            subscription_id=s.id,
            target=s.target,
            owner_id=s.owner_id,
            active=s.active,
            cursor=s.cursor,
            pending=by_sub.get((s.id, "pending"), (0, None))[0],
            parked=by_sub.get((s.id, "parked"), (0, None))[0],
            oldest_pending_at=by_sub.get((s.id, "pending"), (0, None))[1],
        )
        for s in session.scalars(subs)
    ]
