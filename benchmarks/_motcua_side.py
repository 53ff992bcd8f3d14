"""The motcua side: `ProcedureWorkflow` as `worker.build_worker` registers it, driven like its
officers and payment platform would drive it (the read model's inbox, validated updates)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from activities.evidence import EvidenceHasher
from adapters import Adapters
from benchmarks._cpu import ACTIVITY_THREAD_PREFIX
from benchmarks._measure import (
    ACTIVITY_THREADS,
    APPLICANT,
    OPTIONS,
    RESIDENCE,
    Calls,
    Load,
    Measurement,
    count_rows,
    history_cost,
    measure,
)
from motcua.calendar import default_calendar
from motcua.definitions import Catalog
from motcua.dossier import Actor, DecisionInput, PaymentEvent, SubmittedDocument
from motcua.engine import CommandRefused, Dossier, Submission, submit
from motcua.settings import DEV_EVIDENCE_PEPPER
from motcua.store import (
    DossierRow,
    EventRow,
    PaymentRow,
    TaskRow,
    make_engine,
    migrate,
    session_factory,
)
from worker import build_agency_worker, build_worker


class ReadModelInbox:
    """What the officers' inboxes and the payment platform see: the read model, polled.

    One poller serves every dossier in flight, as one inbox page serves every officer."""

    def __init__(self, sessions: sessionmaker[Session], interval: float) -> None:
        self._sessions = sessions
        self._interval = interval
        self._tasks: dict[tuple[str, str], asyncio.Future[tuple[str, str, str]]] = {}
        self._payments: dict[str, asyncio.Future[tuple[str, int]]] = {}
        self._wake = asyncio.Event()

    async def task(self, workflow_id: str, step_id: str) -> tuple[str, str, str]:
        """Wait for the open task of ``step_id``; returns (task id, role, agency)."""
        future = asyncio.get_running_loop().create_future()
        self._tasks[(workflow_id, step_id)] = future
        self._wake.set()
        return await future

    async def payment_due(self, workflow_id: str) -> tuple[str, int]:
        """Wait until the dossier awaits its fee; returns (dossier code, amount)."""
        future = asyncio.get_running_loop().create_future()
        self._payments[workflow_id] = future
        self._wake.set()
        return await future

    async def run(self) -> None:
        while True:
            if not self._tasks and not self._payments:
                self._wake.clear()
                await self._wake.wait()
            tasks, dues = await asyncio.to_thread(
                self._read, bool(self._tasks), bool(self._payments)
            )
            for workflow_id, step_id, task_id, role, agency in tasks:
                future = self._tasks.pop((workflow_id, step_id), None)
                if future is not None:
                    future.set_result((task_id, role, agency))
            for workflow_id, code, amount in dues:
                future_due = self._payments.pop(workflow_id, None)
                if future_due is not None:
                    future_due.set_result((code, amount))
            await asyncio.sleep(self._interval)

    def _read(
        self, tasks_awaited: bool, payments_awaited: bool
    ) -> tuple[list[tuple[str, str, str, str, str]], list[tuple[str, str, int]]]:
        tasks: list[tuple[str, str, str, str, str]] = []
        dues: list[tuple[str, str, int]] = []
        with self._sessions() as session:
            connection = session.connection()  # Core statements: no ORM dispatch per query
            if tasks_awaited:
                rows = connection.execute(_OPEN_TASKS)
                tasks = [
                    (wf, step or "", task, role, agency) for wf, step, task, role, agency in rows
                ]
            if payments_awaited:
                rows = connection.execute(_AWAITING_PAYMENT)
                dues = [(wf, code, amount or 0) for wf, code, amount in rows]
        return tasks, dues


# What the officers act on, read as the inbox page would but cheaper: only these columns (no
# ORM rows built, no JSON columns decoded, no ordering), statements built once, and no query
# while nobody waits for that kind of row.
_tasks, _dossiers = TaskRow.__table__.c, DossierRow.__table__.c
_OPEN_TASKS = sa.select(
    _tasks.workflow_id, _tasks.step_id, _tasks.task_id, _tasks.role, _tasks.agency
).where(_tasks.status == "open")
# The payment platform confirms only a payment of a request it holds: the dossier's payment row,
# written once the platform accepted the request (``fee.requested``), as the baseline's driver
# waits for its workflow's stage set after that call. The dossier's status says
# ``awaiting_payment`` from the fee's assessment, while the request is still on its way.
_payments = PaymentRow.__table__.c
_AWAITING_PAYMENT = (
    sa.select(_dossiers.workflow_id, _payments.dossier_code, _payments.amount)
    .join_from(PaymentRow, DossierRow, _dossiers.dossier_code == _payments.dossier_code)
    .where(_payments.status == "requested")
)


class MotcuaDriver:
    """Citizen, officers and payment platform of motcua dossiers, through `motcua.engine`."""

    def __init__(
        self,
        client: Client,
        catalog: Catalog,
        task_queue: str,
        inbox: ReadModelInbox | None,
        interval: float,
        calls: Calls,
    ) -> None:
        self._client = client
        self._catalog = catalog
        self._task_queue = task_queue
        self._inbox = inbox
        self._interval = interval
        self._calls = calls
        self._run = uuid.uuid4().hex[:8]
        self.finished: list[str] = []

    async def drive(self, i: int) -> None:
        submission = Submission(
            procedure=RESIDENCE,
            channel="online",
            applicant=APPLICANT,
            documents=[SubmittedDocument(id="ct01")],
            submission_id=f"bench-{self._run}-{i}",
        )
        receipt = await submit(
            self._client,
            self._catalog,
            submission,
            task_queue=self._task_queue,
            options=OPTIONS.model_copy(update={"agency_queue_prefix": f"{self._task_queue}."}),
        )
        self._calls()
        handle = self._client.get_workflow_handle(receipt.workflow_id)
        dossier = Dossier(self._client, handle.id)
        await self._decide(dossier, handle.id, "receive", "accept", f"clerk-{i % 4}")
        code, amount = await self._payment_due(dossier, handle.id)
        await dossier.payment_confirmed(
            PaymentEvent(
                reference=f"{code}-FEE",
                transaction_id=f"TX-{self._run}-{i}",
                amount=amount,
                paid_at=datetime.now(UTC),
            )
        )
        self._calls()
        await self._decide(dossier, handle.id, "review", "approve", f"reviewer-{i % 5}")
        await self._decide(dossier, handle.id, "sign", "approve", f"chief-{i % 3}")
        await handle.result()
        self._calls()
        self.finished.append(handle.id)

    async def _decide(
        self, dossier: Dossier, workflow_id: str, step_id: str, outcome: str, officer: str
    ) -> None:
        task_id, role, agency = await self._open_task(dossier, workflow_id, step_id)
        command = DecisionInput(
            task_id=task_id, actor=Actor(id=officer, role=role, agency=agency), outcome=outcome
        )
        while True:
            self._calls()
            try:
                await dossier.decide(command)
                return
            except CommandRefused:
                # The read model showed the task a moment before the workflow opened it.
                self._calls.refused += 1
                await asyncio.sleep(self._interval)

    async def _open_task(
        self, dossier: Dossier, workflow_id: str, step_id: str
    ) -> tuple[str, str, str]:
        if self._inbox is not None:
            return await self._inbox.task(workflow_id, step_id)
        while True:
            self._calls()
            for task in (await dossier.status()).open_tasks:
                if task.step_id == step_id:
                    return task.task_id, task.role, task.agency
            await asyncio.sleep(self._interval)

    async def _payment_due(self, dossier: Dossier, workflow_id: str) -> tuple[str, int]:
        if self._inbox is not None:
            return await self._inbox.payment_due(workflow_id)
        while True:
            self._calls()
            status = await dossier.status()
            if status.status == "awaiting_payment":
                return status.dossier_code, status.fee_amount or 0
            await asyncio.sleep(self._interval)


async def run_motcua(
    env: WorkflowEnvironment, catalog: Catalog, workdir: Path, load: Load, adapters: Adapters
) -> Measurement:
    """Migrate a fresh read model, start motcua's workers, and measure ``load`` on them."""
    url = f"sqlite:///{workdir / 'motcua.db'}"
    migrate(url)
    engine = make_engine(url)
    calls = Calls()
    async with _poller(
        ReadModelInbox(session_factory(engine, read_only=True), load.poll_interval)
        if load.motcua_inbox == "read-model"
        else None
    ) as inbox:
        with ThreadPoolExecutor(ACTIVITY_THREADS, ACTIVITY_THREAD_PREFIX) as executor:
            task_queue = f"bench-motcua-{uuid.uuid4().hex}"
            worker = build_worker(
                env.client,
                task_queue=task_queue,
                sessions=session_factory(engine),
                calendar=default_calendar(),
                notifier=adapters.notification,
                executor=executor,
                hasher=EvidenceHasher(DEV_EVIDENCE_PEPPER),
                sandboxed=False,  # as production workers run (MOTCUA_WORKFLOW_SANDBOX off)
            )
            # The residence agency's adapters, on its own queue as in a deployment.
            agency = catalog.latest(RESIDENCE).agency
            agency_worker = build_agency_worker(
                env.client,
                task_queue=f"{task_queue}.{agency}",
                adapters=adapters,
                hasher=EvidenceHasher(DEV_EVIDENCE_PEPPER),
            )
            async with worker, agency_worker:
                driver = MotcuaDriver(
                    env.client, catalog, task_queue, inbox, load.poll_interval, calls
                )
                result = await measure("motcua", driver.drive, load, calls)
                result.history = await history_cost(env.client, driver.finished)
    result.log_rows = count_rows(engine, sa.select(sa.func.count()).select_from(EventRow)) / (
        load.dossiers + load.warmup
    )
    if calls.refused:
        result.notes.append(f"motcua: {calls.refused} decide updates refused and retried")
    engine.dispose()
    return result


@asynccontextmanager
async def _poller(inbox: ReadModelInbox | None) -> AsyncIterator[ReadModelInbox | None]:
    if inbox is None:
        yield None
        return
    task = asyncio.create_task(inbox.run())
    try:
        yield inbox
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
