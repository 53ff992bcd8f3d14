"""A motcua worker: the workflows and activities of one task queue, plus a metrics endpoint.

Run it with ``motcua worker`` (or ``python worker.py``).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import structlog
from prometheus_client import start_http_server
from sqlalchemy.orm import Session, sessionmaker
from temporalio.client import Client
from temporalio.worker import Worker

from activities import (
    DeadlineActivities,
    NotificationActivities,
    PaymentActivities,
    ResultActivities,
    StoreActivities,
    VerificationActivities,
)
from adapters import Adapters
from motcua.calendar import WorkCalendar, default_calendar, load_calendar
from motcua.engine import connect
from motcua.observability import configure_logging
from motcua.settings import Settings, get_settings
from motcua.store import make_engine, migrate, session_factory
from workflows import BundleWorkflow, ProcedureWorkflow

log = structlog.get_logger("motcua.worker")


def build_worker(
    client: Client,
    *,
    task_queue: str,
    sessions: sessionmaker[Session],
    calendar: WorkCalendar,
    adapters: Adapters,
    executor: ThreadPoolExecutor,
) -> Worker:
    """Register the workflows and every activity, bound to their dependencies."""
    store = StoreActivities(sessions, calendar)
    activities: list[Callable[..., Any]] = [
        store.project,
        store.allocate_code,
        DeadlineActivities(calendar).compute_due,
        VerificationActivities(adapters.population).verify_applicant,
        PaymentActivities(adapters.payment).request_payment,
        PaymentActivities(adapters.payment).refund_payment,
        ResultActivities(adapters.delivery).issue_result,
        ResultActivities(adapters.delivery).deliver_result,
        NotificationActivities(adapters.notifier).notify,
    ]
    return Worker(
        client,
        task_queue=task_queue,
        workflows=[ProcedureWorkflow, BundleWorkflow],
        activities=activities,
        activity_executor=executor,  # the store activities are synchronous (SQLAlchemy)
    )


def worker_calendar(settings: Settings) -> WorkCalendar:
    if settings.calendar_file is None:
        return default_calendar()
    return load_calendar(overrides=settings.calendar_file)


async def run_worker(
    settings: Settings | None = None,
    *,
    adapters: Adapters | None = None,
    stop: asyncio.Event | None = None,
    serve_metrics: bool = True,
) -> None:
    """Run until ``stop`` is set (or forever), then finish in-flight tasks and return."""
    settings = settings or get_settings()
    migrate(settings.database_url)
    engine = make_engine(settings.database_url)
    if serve_metrics and settings.metrics_port:
        start_http_server(settings.metrics_port, addr=settings.metrics_host)
    client = await connect(settings)
    with ThreadPoolExecutor(max_workers=16) as executor:
        worker = build_worker(
            client,
            task_queue=settings.task_queue,
            sessions=session_factory(engine),
            calendar=worker_calendar(settings),
            adapters=adapters or Adapters(),
            executor=executor,
        )
        log.info(
            "worker.started",
            task_queue=settings.task_queue,
            temporal=settings.temporal_address,
            metrics=f"http://{settings.metrics_host}:{settings.metrics_port}/metrics",
        )
        async with worker:
            await (stop.wait() if stop else asyncio.Event().wait())
    engine.dispose()
    log.info("worker.stopped")


if __name__ == "__main__":
    settings = get_settings()
    configure_logging(fmt=settings.log_format, level=settings.log_level)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run_worker(settings))
