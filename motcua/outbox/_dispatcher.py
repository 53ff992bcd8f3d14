"""The dispatcher: fans the outbox out to subscriptions and delivers line heads, concurrently.

Each pass (``run_once``): (1) fan out new outbox rows into pending deliveries, advancing each
subscription's cursor, in one transaction; (2) lease the due heads of lines (one per
subscription and dossier) and deliver them concurrently, at most ``concurrency`` at a time;
(3) record each outcome — delivered, retried after an exponential backoff with jitter, or
parked after ``settings.outbox_max_attempts`` (a parked line stays blocked until an operator
retries it: ``motcua outbox retry`` or ``POST /v1/webhooks/{id}/retry``).

Several dispatchers may run against the same database (SQLite or PostgreSQL): fan-out locks
the subscriptions and every delivery is leased before it is attempted, so a line is worked by
one dispatcher at a time; a dispatcher that dies mid-attempt delays its lines by one lease.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from types import TracebackType

import httpx
import structlog
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from adapters import Adapters, AdaptersConfig, load_adapters_config
from motcua.observability import metrics
from motcua.outbox._claims import Claim, Outcome, claim_heads, record
from motcua.outbox._fanout import GAP_GRACE, fan_out
from motcua.outbox._portal import PortalPusher
from motcua.outbox._subscriptions import ensure_portal_subscription
from motcua.outbox._webhook import WebhookSender
from motcua.settings import Settings, get_settings
from motcua.store import DeliveryRow, SubscriptionRow, make_engine, migrate, session_factory

log = structlog.get_logger("motcua.outbox")

_BACKLOG_EVERY_SECONDS = 10.0


def retry_delay(attempts: int, *, base: float, cap: float, rng: random.Random) -> timedelta:
    """Backoff after the ``attempts``-th failure: ``base * 2^(attempts-1)``, capped, then
    scaled by a random 50 to 100 % so lines that failed together do not retry together."""
    ceiling = min(cap, base * 2 ** min(attempts - 1, 60))
    return timedelta(seconds=ceiling * rng.uniform(0.5, 1.0))


class Dispatcher:
    """Delivers outbox events to webhooks and (given adapters) the national portal.

    Args:
        sessions: writable sessions on the migrated read model.
        settings: ``outbox_poll_seconds`` and ``outbox_max_attempts`` are read from it.
        adapters_config: the portal adapters; None runs webhooks only (no portal sync).
        http: the client webhooks are posted with (one with explicit timeouts if None).
        build_adapters: builds an agency's adapters (``adapters_config.build`` if None).
        concurrency: deliveries in flight at once (each on a different line).
        batch: line heads leased per pass.
        retry_base: seconds before the first retry; doubled after each failure.
        retry_cap: the longest wait between two attempts, in seconds.
        lease: how long a leased head is left alone by other dispatchers.
        gap_grace: see :mod:`motcua.outbox._fanout`.
        seed: seeds the retry jitter.
    """

    def __init__(
        self,
        sessions: sessionmaker[Session],
        *,
        settings: Settings,
        adapters_config: AdaptersConfig | None = None,
        http: httpx.AsyncClient | None = None,
        build_adapters: Callable[[str | None], Adapters] | None = None,
        concurrency: int = 16,
        batch: int = 100,
        retry_base: float = 1.0,
        retry_cap: float = 3600.0,
        lease: timedelta = timedelta(minutes=2),
        gap_grace: timedelta = GAP_GRACE,
        seed: int | None = None,
    ) -> None:
        self._sessions = sessions
        # Reads (snapshots, counts) must not take SQLite's write lock from the workers.
        self._reads = session_factory(sessions.kw["bind"], read_only=True)
        self._settings = settings
        self._webhooks = WebhookSender(http, allow_loopback=settings.webhook_allow_loopback)
        self._portal = (
            None
            if adapters_config is None
            else PortalPusher(adapters_config, self._reads, build=build_adapters)
        )
        self.targets = ("webhook",) if self._portal is None else ("webhook", "portal")
        self._limit = asyncio.Semaphore(concurrency)
        self._batch, self._lease, self._gap_grace = batch, lease, gap_grace
        self._retry_base, self._retry_cap = retry_base, retry_cap
        self._rng = random.Random(seed)
        self._prepared = False
        self._backlog_at = 0.0

    async def __aenter__(self) -> Dispatcher:
        return self

    async def __aexit__(
        self, _t: type[BaseException] | None, _e: BaseException | None, _tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the webhook client and the portal adapters."""
        await self._webhooks.aclose()
        if self._portal is not None:
            await self._portal.aclose()

    async def run(self, stop: asyncio.Event) -> None:
        """Pass after pass until ``stop`` is set; sleeps ``outbox_poll_seconds`` when idle.

        A pass that fails (the database is down) is logged and tried again after the pause.
        """
        log.info("outbox.started", targets=list(self.targets))
        while not stop.is_set():
            try:
                worked = await self.run_once()
            except Exception as exc:
                log.error("outbox.pass_failed", error=str(exc), exc_info=exc)
                worked = 0
            if not worked:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), self._settings.outbox_poll_seconds)
        log.info("outbox.stopped")

    async def run_once(self) -> int:
        """One pass: fan out, then attempt every due line head. Returns the attempts made."""
        if not self._prepared:
            await asyncio.to_thread(self._prepare)
        await asyncio.to_thread(self._fan_out)
        claims = await asyncio.to_thread(self._claim)
        await asyncio.gather(*(self._attempt(c) for c in claims))
        if time.monotonic() - self._backlog_at >= _BACKLOG_EVERY_SECONDS:
            await asyncio.to_thread(self._count_backlog)
        return len(claims)

    def _now(self) -> datetime:
        return datetime.now(UTC)

    def _prepare(self) -> None:
        if self._portal is not None:
            with self._sessions.begin() as session:
                ensure_portal_subscription(session)
        self._prepared = True

    def _fan_out(self) -> None:
        with self._sessions.begin() as session:
            fan_out(session, now=self._now(), gap_grace=self._gap_grace, targets=self.targets)

    def _claim(self) -> list[Claim]:
        with self._sessions.begin() as session:
            return claim_heads(
                session,
                now=self._now(),
                lease=self._lease,
                targets=self.targets,
                limit=self._batch,
            )

    async def _attempt(self, claim: Claim) -> None:
        async with self._limit:
            started = time.perf_counter()
            outcome = await self._send(claim)
            elapsed = time.perf_counter() - started
        metrics.OUTBOX_ATTEMPT_SECONDS.labels(claim.target).observe(elapsed)
        result = await asyncio.to_thread(self._record, claim, outcome)
        metrics.OUTBOX_DELIVERIES.labels(claim.target, result).inc()
        facts = {
            "subscription": claim.subscription_id,
            "dossier": claim.dossier_code,
            "delivery": claim.delivery_id,
            "attempts": claim.attempts + 1,
        }
        if result == "delivered":
            lag = (self._now() - claim.announced_at).total_seconds()
            metrics.OUTBOX_LAG_SECONDS.labels(claim.target).observe(max(lag, 0.0))
            log.debug("outbox.delivered", **facts)
        elif result == "parked":
            log.error("outbox.parked", error=outcome.error, **facts)
        elif result == "retry":
            log.warning("outbox.delivery_failed", error=outcome.error, **facts)

    async def _send(self, claim: Claim) -> Outcome:
        try:
            if claim.target == "portal" and self._portal is not None:
                return await self._portal.send(claim)
            return await self._webhooks.send(claim)
        except Exception as exc:  # never let one line's bug stop the others
            log.error("outbox.attempt_crashed", delivery=claim.delivery_id, exc_info=exc)
            return Outcome(False, f"{type(exc).__name__}: {exc}")

    def _record(self, claim: Claim, outcome: Outcome) -> str:
        delay = retry_delay(
            claim.attempts + 1, base=self._retry_base, cap=self._retry_cap, rng=self._rng
        )
        with self._sessions.begin() as session:
            return record(
                session,
                claim,
                outcome,
                now=self._now(),
                max_attempts=self._settings.outbox_max_attempts,
                retry_in=delay,
            )

    def _count_backlog(self) -> None:
        self._backlog_at = time.monotonic()
        query = (
            select(SubscriptionRow.target, DeliveryRow.status, func.count())
            .join(SubscriptionRow, SubscriptionRow.id == DeliveryRow.subscription_id)
            .where(DeliveryRow.status != "delivered")
            .group_by(SubscriptionRow.target, DeliveryRow.status)
        )
        with self._reads() as session:
            counts = {(t, s): n for t, s, n in session.execute(query)}
        for target in ("webhook", "portal"):
            for status in ("pending", "parked"):
                metrics.OUTBOX_BACKLOG.labels(target, status).set(counts.get((target, status), 0))


async def run_dispatcher(
    settings: Settings | None = None,
    *,
    adapters_config: AdaptersConfig | None = None,
    stop: asyncio.Event | None = None,
    portal: bool = True,
) -> None:
    """Deliver until ``stop`` is set (or forever): ``motcua outbox run``, and ``motcua up``.

    Args:
        settings: the process settings (``MOTCUA_*``).
        adapters_config: the portal adapters; ``settings.adapters_file`` is read if None.
        stop: set it to stop after the pass in flight.
        portal: sync statuses to the national portal (off: webhooks only).
    """
    settings = settings or get_settings()
    if portal and adapters_config is None:
        adapters_config = load_adapters_config(settings.adapters_file)
    await asyncio.to_thread(migrate, settings.database_url)
    engine = make_engine(settings.database_url)
    try:
        async with Dispatcher(
            session_factory(engine),
            settings=settings,
            adapters_config=adapters_config if portal else None,
        ) as dispatcher:
            await dispatcher.run(stop or asyncio.Event())
    finally:
        engine.dispose()
