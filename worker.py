"""motcua workers: the engine's (workflows and their local steps) and each agency's (adapters).

``motcua worker`` runs the engine's task queue and, in the same process, the queue of every
agency that does not run its own worker. ``motcua worker --agency X`` runs only the queue
``agency.X`` with X's adapters, so an agency keeps its systems inside its own network.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.metadata
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from contextlib import AsyncExitStack
from typing import Any

import structlog
from prometheus_client import REGISTRY, start_http_server
from sqlalchemy.orm import Session, sessionmaker
from temporalio.client import Client
from temporalio.common import WorkerDeploymentVersion
from temporalio.runtime import Runtime
from temporalio.worker import (
    Replayer,
    UnsandboxedWorkflowRunner,
    Worker,
    WorkerDeploymentConfig,
    WorkflowRunner,
)
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

from activities.consultation import ConsultationActivities
from activities.deadlines import DeadlineActivities
from activities.evidence import EvidenceHasher
from activities.journal import JournalActivities
from activities.notifications import AgencyNotifiers, NotificationActivities
from activities.payments import PaymentActivities
from activities.results import ResultActivities, ResultIssuer
from activities.store import StoreActivities
from activities.verification import VerificationActivities
from adapters import Adapters, AdaptersConfig, Notifier, load_adapters_config
from motcua.calendar import WorkCalendar, build_id, default_calendar, load_calendar, snapshot_of
from motcua.definitions import Registry, load_catalog
from motcua.engine import connect
from motcua.observability import ReadModelCollector, configure_logging
from motcua.settings import Settings, get_settings
from motcua.store import make_engine, migrate, session_factory
from workflows import BundleWorkflow, ProcedureWorkflow

log = structlog.get_logger("motcua.worker")


# Modules of contracts (frozen pydantic models, the definition schema) and pure functions that
# the workflows import. The sandbox takes them from the worker's own import instead of loading
# them again for every workflow run. Each must stay deterministic, with no module-level state a
# workflow could change. The workflows' own modules are left to the sandbox (its restrictions
# only check code that it loads itself).
WORKFLOW_PASSTHROUGH = (
    "motcua.definitions",
    "motcua.dossier",
    "motcua.calendar",
    "activities",
    "adapters",
)


def workflow_runner(*, sandboxed: bool) -> WorkflowRunner:
    """The sandbox (with `WORKFLOW_PASSTHROUGH` loaded once per process) or none.

    Production workers run without it (``MOTCUA_WORKFLOW_SANDBOX`` off): the sandbox costs
    about a third of the event loop's CPU per dossier (docs/performance.md). The test suite and
    the replay test run with it, so a non-deterministic call in workflow code still fails CI,
    and ``tests/workflows/test_determinism.py`` bans such calls from the workflow modules."""
    if not sandboxed:
        return UnsandboxedWorkflowRunner()
    return SandboxedWorkflowRunner(
        restrictions=SandboxRestrictions.default.with_passthrough_modules(*WORKFLOW_PASSTHROUGH)
    )


# The workflows the engine's worker runs, and `engine_replayer` replays.
ENGINE_WORKFLOWS = (ProcedureWorkflow, BundleWorkflow)


def engine_replayer(client: Client, *, sandboxed: bool, runtime: Runtime | None = None) -> Replayer:
    """Replays histories as `build_worker`'s worker runs them: the same workflows and runner,
    and the client's data converter (payloads opened with its keys). ``motcua up`` asks it
    whether the dossiers open in ``var/`` can be continued (``motcua/stack/_old_dossiers.py``);
    ``runtime``: the SDK core's (its logs), the process's default if None."""
    return Replayer(
        workflows=ENGINE_WORKFLOWS,
        workflow_runner=workflow_runner(sandboxed=sandboxed),
        data_converter=client.data_converter,
        namespace=client.namespace,
        runtime=runtime,
    )


class UnknownAgency(LookupError):
    """``--agency`` names no agency of the registry."""


def build_worker(
    client: Client,
    *,
    task_queue: str,
    sessions: sessionmaker[Session],
    calendar: WorkCalendar,
    notifier: Notifier,
    executor: ThreadPoolExecutor,
    hasher: EvidenceHasher,
    sandboxed: bool,
    agency_notifiers: AgencyNotifiers | None = None,
) -> Worker:
    """The engine's worker: the workflows, their local activities and the national services;
    ``hasher`` keys the evidence hashes (``MOTCUA_EVIDENCE_PEPPER``); notices of an agency
    in ``agency_notifiers`` go through its own notification adapter, others ``notifier``;
    ``sandboxed`` runs the workflows in Temporal's sandbox (``MOTCUA_WORKFLOW_SANDBOX``)."""
    store = StoreActivities(sessions, calendar)
    deadlines = DeadlineActivities(calendar)
    notices = NotificationActivities(notifier, agency_notifiers)
    activities: list[Callable[..., Any]] = [
        JournalActivities(store, notices).project,
        store.open_dossier,
        store.save_reply_comment,
        deadlines.compute_due,
        deadlines.working_calendar,
        ResultIssuer(hasher).issue_result,
        notices.notify,
    ]
    return Worker(
        client,
        task_queue=task_queue,
        workflows=ENGINE_WORKFLOWS,
        workflow_runner=workflow_runner(sandboxed=sandboxed),
        activities=activities,
        activity_executor=executor,  # the store activities are synchronous (SQLAlchemy)
        deployment_config=engine_stamp(calendar),
    )


def engine_stamp(calendar: WorkCalendar) -> WorkerDeploymentConfig:
    """Stamps every workflow task this worker completes with its calendar's version, which a
    dossier reads (deterministically, from its history) to know when to ask for the calendar
    again (``workflows/_clock.py``). Only a stamp: task routing is unversioned."""
    release = importlib.metadata.version("motcua")
    version = WorkerDeploymentVersion(
        deployment_name="motcua-engine", build_id=build_id(release, snapshot_of(calendar))
    )
    return WorkerDeploymentConfig(version=version, use_worker_versioning=False)


def build_agency_worker(
    client: Client, *, task_queue: str, adapters: Adapters, hasher: EvidenceHasher
) -> Worker:
    """One agency's worker: the activities that call its systems, with its adapters."""
    payments = PaymentActivities(adapters.payment)
    consultation = ConsultationActivities(adapters.consultation)
    return Worker(
        client,
        task_queue=task_queue,
        activities=[
            VerificationActivities(adapters.population, hasher).verify_applicant,
            payments.request_payment,
            payments.payment_status,
            payments.refund_payment,
            ResultActivities(adapters.delivery).deliver_result,
            consultation.send_consultation,
            consultation.collect_reply,
        ],
    )


def worker_calendar(settings: Settings) -> WorkCalendar:
    if settings.calendar_file is None:
        return default_calendar()
    return load_calendar(overrides=settings.calendar_file)


def agency_notifiers(config: AdaptersConfig, registry: Registry | None) -> AgencyNotifiers:
    """The notification adapters of the agencies that configure their own in the adapters
    file. Notices run on the engine's worker (whatever agency runs its own worker), so the
    engine's worker holds them."""
    codes = {a.code: name for name, a in registry.agencies.items()} if registry else {}
    return AgencyNotifiers(
        by_agency={
            name: config.create("notification", name) for name in config.overriding("notification")
        },
        agency_by_code=codes,
    )


def engine_agencies(known: Iterable[str], settings: Settings) -> list[str]:
    """The agencies whose queues the engine's worker serves: all but those with their own."""
    return sorted(set(known) - set(settings.separate_agencies))


async def run_worker(
    settings: Settings | None = None,
    *,
    agency: str | None = None,
    adapters_config: AdaptersConfig | None = None,
    stop: asyncio.Event | None = None,
    serve_metrics: bool = True,
) -> None:
    """Run until ``stop`` is set (or forever), then finish in-flight tasks and return.

    Args:
        settings: The process settings (``MOTCUA_*``).
        agency: Run only this agency's queue, with its adapters (``motcua worker --agency``).
        adapters_config: Overrides ``settings.adapters_file``.
        stop: Set it to stop gracefully.
        serve_metrics: Serve Prometheus metrics on ``settings.metrics_port``.
    """
    settings = settings or get_settings()
    config = adapters_config or load_adapters_config(settings.adapters_file)
    catalog = load_catalog(settings.procedures_dir)
    agencies = catalog.agencies()
    if agency is not None and agency not in agencies:
        raise UnknownAgency(f"unknown agency {agency!r}; the registry has: {', '.join(agencies)}")
    hasher = EvidenceHasher(settings.evidence_key())  # MissingSecret before connecting
    if serve_metrics and settings.metrics_port:
        start_http_server(settings.metrics_port, addr=settings.metrics_host)
    client = await connect(settings)
    async with AsyncExitStack() as stack:
        queues: list[str] = []
        if agency is None:
            migrate(settings.database_url)
            engine = make_engine(settings.database_url)
            stack.callback(engine.dispose)
            if serve_metrics and settings.metrics_port:
                # Open/overdue tasks and open dossiers, read from the read model once per scrape.
                collector = ReadModelCollector(engine)
                REGISTRY.register(collector)
                stack.callback(REGISTRY.unregister, collector)
            executor = stack.enter_context(ThreadPoolExecutor(max_workers=16))
            national = config.build()  # the engine calls only the notification services
            stack.push_async_callback(national.aclose)
            notifiers = agency_notifiers(config, catalog.registry)
            for notifier in notifiers.by_agency.values():
                close = getattr(notifier, "aclose", None)  # those that hold connections
                if close is not None:
                    stack.push_async_callback(close)
            worker = build_worker(
                client,
                task_queue=settings.task_queue,
                sessions=session_factory(engine),
                calendar=worker_calendar(settings),
                notifier=national.notification,
                executor=executor,
                hasher=hasher,
                sandboxed=settings.workflow_sandbox,
                agency_notifiers=notifiers,
            )
            await stack.enter_async_context(worker)
            queues.append(settings.task_queue)
        for served in [agency] if agency else engine_agencies(agencies, settings):
            adapters = config.build(served)
            stack.push_async_callback(adapters.aclose)
            queue = settings.agency_queue_prefix + served
            await stack.enter_async_context(
                build_agency_worker(client, task_queue=queue, adapters=adapters, hasher=hasher)
            )
            queues.append(queue)
        log.info(
            "worker.started",
            task_queues=queues,
            temporal=settings.temporal_address,
            metrics=f"http://{settings.metrics_host}:{settings.metrics_port}/metrics",
        )
        await (stop.wait() if stop else asyncio.Event().wait())
    log.info("worker.stopped")


if __name__ == "__main__":
    settings = get_settings()
    configure_logging(fmt=settings.log_format, level=settings.log_level)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run_worker(settings))
