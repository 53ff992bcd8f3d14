"""Fan-out: turn new outbox rows into one pending delivery per matching subscription.

Outbox ids come from a sequence that is drawn when a projection *inserts*, not when it
*commits*: on PostgreSQL a transaction holding id 10 may commit after one holding id 11. A
subscription's cursor therefore only moves over a contiguous run of ids. A hole stops it until
the missing row commits, or until the row after the hole is older than ``gap_grace`` — then the
hole is taken as a rolled-back projection (a sequence value that will never be used) and
skipped with a warning. So an event is never announced after a later one of the same dossier
and never passed over while its transaction is still open.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

import structlog
from sqlalchemy import select
from sqlalchemy.orm import Session

from motcua.store import DeliveryRow, OutboxRow, SubscriptionRow, dialect_insert

log = structlog.get_logger("motcua.outbox")

GAP_GRACE = timedelta(seconds=30)
_BATCH = 1000


def fan_out(
    session: Session,
    *,
    now: datetime,
    gap_grace: timedelta = GAP_GRACE,
    targets: Sequence[str] = ("webhook", "portal"),
    batch: int = _BATCH,
) -> int:
    """Fan out up to ``batch`` outbox rows past each active subscription's cursor.

    The subscriptions are locked (``FOR UPDATE`` on PostgreSQL; SQLite writers are serialised
    anyway), so two dispatchers never fan out the same rows twice. The caller commits.

    Returns:
        How many deliveries were created.
    """
    subscriptions = list(
        session.scalars(
            select(SubscriptionRow)
            .where(SubscriptionRow.active.is_(True), SubscriptionRow.target.in_(targets))
            .order_by(SubscriptionRow.id)
            .with_for_update()
        )
    )
    if not subscriptions:
        return 0
    # One read per distinct cursor: a subscription far behind (the portal sync starting on a
    # full log) must not hold back the ones that are current.
    pages: dict[int, list[OutboxRow]] = {}
    for cursor in {s.cursor for s in subscriptions}:
        pages[cursor] = list(
            session.scalars(
                select(OutboxRow).where(OutboxRow.id > cursor).order_by(OutboxRow.id).limit(batch)
            )
        )
    created = 0
    for subscription in subscriptions:
        taken = _contiguous(
            pages[subscription.cursor],
            after=subscription.cursor,
            horizon=now - gap_grace,
            subscription_id=subscription.id,
        )
        if not taken:
            continue
        matching = [r for r in taken if _matches(subscription, r)]
        if matching:
            created += _insert_deliveries(session, subscription.id, matching, now=now)
        subscription.cursor = taken[-1].id
    session.flush()
    return created


def _contiguous(
    rows: list[OutboxRow], *, after: int, horizon: datetime, subscription_id: str
) -> list[OutboxRow]:
    """The rows up to the first hole that may still be filled by an open transaction."""
    taken: list[OutboxRow] = []
    expected = after + 1
    for row in rows:
        if row.id != expected:
            if row.created_at > horizon:
                break  # a projection holding the missing id may not have committed yet
            log.warning(
                "outbox.gap_skipped",
                subscription=subscription_id,
                missing_from=expected,
                missing_to=row.id - 1,
            )
        taken.append(row)
        expected = row.id + 1
    return taken


def _matches(subscription: SubscriptionRow, row: OutboxRow) -> bool:
    if subscription.event_types and row.type not in subscription.event_types:
        return False
    return not subscription.agencies or row.agency in subscription.agencies


def _insert_deliveries(
    session: Session, subscription_id: str, rows: list[OutboxRow], *, now: datetime
) -> int:
    values = [
        {
            "subscription_id": subscription_id,
            "outbox_id": r.id,
            "dossier_code": r.dossier_code,
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": now,
        }
        for r in rows
    ]
    insert = dialect_insert(session)
    created = 0
    for start in range(0, len(values), 500):
        stmt = insert(DeliveryRow).values(values[start : start + 500]).on_conflict_do_nothing()
        created += session.execute(stmt).rowcount or 0  # type: ignore[attr-defined]
    return created
