"""A worker on its own task queue and SQLite file, and helpers that act as citizens and officers."""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import AsyncExitStack, ExitStack, asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy.orm import Session, sessionmaker
from temporalio.client import Client, WorkflowHandle
from temporalio.service import RPCError, RPCStatusCode
from temporalio.testing import WorkflowEnvironment

from activities.evidence import EvidenceHasher
from adapters import AdaptersConfig
from motcua.calendar import default_calendar
from motcua.definitions import Catalog
from motcua.dossier import (
    Actor,
    Applicant,
    DecisionInput,
    DossierStatus,
    PaymentEvent,
    RunOptions,
    SubmittedDocument,
    TaskView,
)
from motcua.engine import Dossier, Receipt, Submission, resolve, submit
from motcua.settings import DEV_EVIDENCE_PEPPER
from motcua.simulators import adapters_config, ports_from, serving_all
from motcua.simulators.payment import pay_fee
from motcua.store import list_events, make_engine, migrate, session_factory
from tests.conftest import ROOT
from worker import build_agency_worker, build_worker
from workflows import BundleStatus, BundleWorkflow

TEST_HASHER = EvidenceHasher(DEV_EVIDENCE_PEPPER)

APPLICANT = Applicant(
    personal_id="001203004512",
    full_name="Nguyễn Thị Lan",
    birth_date=date(1990, 5, 17),
    phone="0912345678",
)


@dataclass
class Harness:
    client: Client
    catalog: Catalog
    task_queue: str
    sessions: sessionmaker[Session]
    adapters_config: AdaptersConfig
    sims: dict[str, str]  # the simulators' base URLs, by simulator name
    options: RunOptions = field(default_factory=RunOptions)
    started: list[str] = field(default_factory=list)  # every workflow id filed, for the clean-up

    async def submit(self, procedure: str, **fields: Any) -> Dossier:
        """File a dossier (the citizen brings their documents unless ``documents`` is given)."""
        receipt = await self.file(procedure, **fields)
        return Dossier(self.client, receipt.workflow_id)

    async def file(
        self, procedure: str, *, wait: timedelta | None = None, **fields: Any
    ) -> Receipt:
        """File ``procedure`` as the engine's callers do, and return the receipt."""
        fields.setdefault("applicant", APPLICANT)
        fields.setdefault("submission_id", uuid.uuid4().hex)
        fields.setdefault("documents", self.documents(procedure))
        receipt = await submit(
            self.client,
            self.catalog,
            Submission(procedure=procedure, **fields),
            task_queue=self.task_queue,
            options=self.options,
            wait=wait,
        )
        self.started.append(receipt.workflow_id)
        return receipt

    async def close_leftovers(self) -> None:
        """Terminate the dossiers a test left open. The time-skipping server is shared by the
        session: an open dossier's timers fire for a worker that is gone, and enough of them
        stalled later tests' sleeps until the server answered 'Timeout expired'."""
        for workflow_id in self.started:
            with contextlib.suppress(RPCError):  # already closed
                await self.client.get_workflow_handle(workflow_id).terminate("the test is over")

    def documents(self, procedure: str) -> list[SubmittedDocument]:
        """Every document of the procedure's list that the citizen brings (not a database)."""
        return [SubmittedDocument(id=d) for d in resolve(self.catalog, procedure).citizen_documents]

    async def submit_bundle(
        self, code: str, key: str
    ) -> WorkflowHandle[BundleWorkflow, BundleStatus]:
        """File an interconnected bundle; member M is the dossier ``f"{handle.id}.M"``."""
        receipt = await self.file(code, submission_id=key)
        return self.client.get_workflow_handle_for(BundleWorkflow.run, receipt.workflow_id)

    async def task(self, dossier: Dossier, step_id: str, *, timeout: float = 20) -> TaskView:
        """Wait until the dossier has an open task at ``step_id``."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            status = await self._status(dossier)
            for task in status.open_tasks if status else ():
                if task.step_id == step_id:
                    return task
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"no open task at {step_id}; status: {status}")
            await asyncio.sleep(0.05)

    async def wait_status(
        self, dossier: Dossier, *wanted: str, timeout: float = 20
    ) -> DossierStatus:
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            status = await self._status(dossier)
            if status is not None and status.status in wanted:
                return status
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"dossier never reached {wanted}; status: {status}")
            await asyncio.sleep(0.05)

    @staticmethod
    async def _status(dossier: Dossier) -> DossierStatus | None:
        """The live status, or None while the workflow is not started yet (a bundle's member)."""
        try:
            return await dossier.status()
        except RPCError as error:
            if error.status != RPCStatusCode.NOT_FOUND:
                raise
            return None

    async def decide(
        self,
        dossier: Dossier,
        step_id: str,
        outcome: str,
        *,
        officer: str | None = None,
        missing: list[str] | None = None,
    ) -> None:
        task = await self.task(dossier, step_id)
        actor = Actor(id=officer or f"officer-{task.role}", role=task.role, agency=task.agency)
        await dossier.decide(
            DecisionInput(
                task_id=task.task_id,
                actor=actor,
                outcome=outcome,
                missing_documents=missing or [],
            )
        )

    async def pay(self, dossier: Dossier, *, transaction: str = "TX-1") -> None:
        """The citizen pays at the payment platform, which confirms to the dossier."""
        status = await self.wait_status(dossier, "awaiting_payment")
        await self._pay_at_platform(dossier, f"{status.dossier_code}-FEE", transaction)

    async def _pay_at_platform(self, dossier: Dossier, reference: str, transaction: str) -> None:
        paid = await pay_fee(self.sims["payment"], reference, transaction_id=transaction)
        # The confirmation as the API's signed callback hands it to the dossier.
        await dossier.payment_confirmed(PaymentEvent.model_validate(paid.model_dump()))

    async def complete_residence(
        self, dossier: Dossier, *, from_step: str = "receive"
    ) -> DossierStatus:
        """The ordinary path of permanent residence (1.004222) from ``from_step`` to the result."""
        steps = ["receive", "fee", "review", "sign"]
        for step in steps[steps.index(from_step) :]:
            if step == "receive":
                await self.decide(dossier, "receive", "accept")
            elif step == "fee":
                await self.pay(dossier)
            else:
                await self.decide(dossier, step, "approve", officer=f"{step}-officer")
        return await self.wait_status(dossier, "completed")

    async def pay_again(self, dossier: Dossier, code: str, *, transaction: str) -> None:
        """A second, distinct payment of the same fee."""
        await self._pay_at_platform(dossier, f"{code}-FEE", transaction)

    @staticmethod
    def applicant(**fields: Any) -> Applicant:
        return APPLICANT.model_copy(update=fields)

    def sequence_numbers(self, dossier_code: str) -> list[int]:
        with self.sessions() as session:
            return [e.seq for e in list_events(session, dossier_code)]

    def events(self, dossier_code: str) -> list[str]:
        with self.sessions() as session:
            return [e.type for e in list_events(session, dossier_code)]


@asynccontextmanager
async def agency_worker(h: Harness, agency: str) -> AsyncIterator[None]:
    """Run one agency's worker, as ``motcua worker --agency`` would."""
    adapters = h.adapters_config.build(agency)
    queue = h.options.agency_queue_prefix + agency
    try:
        async with build_agency_worker(
            h.client, task_queue=queue, adapters=adapters, hasher=TEST_HASHER
        ):
            yield
    finally:
        await adapters.aclose()


@asynccontextmanager
async def running_worker(
    env: WorkflowEnvironment,
    catalog: Catalog,
    tmp_path: Path,
    *,
    options: RunOptions | None = None,
    configure: Callable[[dict[str, str]], AdaptersConfig] = adapters_config,
    separate_agencies: Iterable[str] = (),
    database_url: str | None = None,
    sim_options: Mapping[str, Mapping[str, Any]] | None = None,
) -> AsyncIterator[Harness]:
    """The engine's worker and every agency's, except ``separate_agencies`` (start those with
    :func:`agency_worker`), on task queues of their own; the read model in a SQLite file under
    ``tmp_path`` unless ``database_url`` names another."""
    url = database_url or f"sqlite:///{tmp_path / 'motcua.db'}"
    migrate(url)
    engine = make_engine(url)
    task_queue = f"test-{uuid.uuid4().hex}"
    # Fresh simulators per test: dossier codes restart with each test's read model.
    simulators = ExitStack()
    sims = simulators.enter_context(serving_all(ports=ports_from(0), options=sim_options))
    config = configure(sims)
    options = (options or RunOptions(rating_window=timedelta(0))).model_copy(
        update={"agency_queue_prefix": f"{task_queue}.agency."}
    )
    national = config.build()
    with ThreadPoolExecutor(max_workers=8) as executor:
        worker = build_worker(
            env.client,
            task_queue=task_queue,
            sessions=session_factory(engine),
            calendar=default_calendar(),
            notifier=national.notification,
            executor=executor,
            hasher=TEST_HASHER,
        )
        h = Harness(
            client=env.client,
            catalog=catalog,
            task_queue=task_queue,
            sessions=session_factory(engine),
            adapters_config=config,
            sims=sims,
            options=options,
        )
        async with worker, AsyncExitStack() as agencies:
            for agency in sorted(set(catalog.agencies()) - set(separate_agencies)):
                await agencies.enter_async_context(agency_worker(h, agency))
            try:
                yield h
            finally:
                await h.close_leftovers()
    await national.aclose()
    simulators.close()
    engine.dispose()


@asynccontextmanager
async def skipping_worker(
    env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> AsyncIterator[Harness]:
    """:func:`running_worker` on the time-skipping server, which knows no custom search
    attributes."""
    options = RunOptions(rating_window=timedelta(0), search_attributes=False)
    async with running_worker(env, catalog, tmp_path, options=options) as harness:
        yield harness


def start_worker_process(
    env: WorkflowEnvironment,
    task_queue: str,
    db_url: str,
    log: Path,
    *,
    script: Path | None = None,
    extra_env: Mapping[str, str] | None = None,
) -> subprocess.Popen[bytes]:
    """``worker.py`` (or ``script``) in a process of its own, to be killed as a crash would;
    its adapters are read from ``adapters.yaml`` beside ``log``."""
    config = env.client.service_client.config
    environ = {
        **os.environ,
        "MOTCUA_TEMPORAL_ADDRESS": config.target_host,
        "MOTCUA_TASK_QUEUE": task_queue,
        "MOTCUA_AGENCY_QUEUE_PREFIX": f"{task_queue}.agency.",
        "MOTCUA_ADAPTERS_FILE": str(log.parent / "adapters.yaml"),
        "MOTCUA_DATABASE_URL": db_url,
        "MOTCUA_EVIDENCE_PEPPER": DEV_EVIDENCE_PEPPER,
        "MOTCUA_METRICS_PORT": "0",
        "MOTCUA_RATING_WINDOW_DAYS": "0",
        "MOTCUA_LOG_FORMAT": "json",
        **(extra_env or {}),
    }
    return subprocess.Popen(
        [sys.executable, str(script or ROOT / "worker.py")],
        cwd=ROOT,
        env=environ,
        stdout=subprocess.DEVNULL,
        stderr=log.open("ab"),
    )


@contextmanager
def misbehaving(h: Harness, simulator: str, **knobs: Any) -> Iterator[None]:
    """Turn a simulator's knobs (``outage=True``, ``latency_ms=...``) for the block's length."""
    url = h.sims[simulator]
    httpx.put(f"{url}/_sim/knobs", json=knobs).raise_for_status()
    try:
        yield
    finally:
        calm = {"outage": False, "error_rate": 0, "latency_ms": 0}
        httpx.put(f"{url}/_sim/knobs", json=calm).raise_for_status()


async def pending_attempts(client: Client, workflow_id: str, activity: str) -> int:
    """How many times the dossier's pending ``activity`` has been tried so far (0: none)."""
    description = await client.get_workflow_handle(workflow_id).describe()
    return max(
        (
            pending.attempt
            for pending in description.raw_description.pending_activities
            if pending.activity_type.name == activity
        ),
        default=0,
    )
