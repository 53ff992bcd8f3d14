"""A worker on its own task queue and SQLite file, and helpers that act as citizens and officers."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker
from temporalio.client import Client, WorkflowHandle
from temporalio.service import RPCError, RPCStatusCode
from temporalio.testing import WorkflowEnvironment

from adapters import Adapters
from motcua.calendar import default_calendar
from motcua.definitions import Catalog
from motcua.dossier import (
    Actor,
    Applicant,
    DecisionInput,
    DossierStatus,
    PaymentEvent,
    RunOptions,
    TaskView,
)
from motcua.engine import Dossier, Submission, submit
from motcua.store import list_events, make_engine, migrate, session_factory
from worker import build_worker

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
    adapters: Adapters
    options: RunOptions = field(default_factory=RunOptions)

    async def submit(self, procedure: str, **fields: Any) -> Dossier:
        fields.setdefault("applicant", APPLICANT)
        fields.setdefault("submission_id", uuid.uuid4().hex)
        handle = await submit(
            self.client,
            self.catalog,
            Submission(procedure=procedure, **fields),
            task_queue=self.task_queue,
            options=self.options,
        )
        return Dossier(self.client, handle.id)

    async def submit_bundle(self, code: str, key: str) -> WorkflowHandle[Any, Any]:
        """File an interconnected bundle; member M is the dossier ``f"{handle.id}.M"``."""
        return await submit(
            self.client,
            self.catalog,
            Submission(procedure=code, applicant=APPLICANT, submission_id=key),
            task_queue=self.task_queue,
            options=self.options,
        )

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
        status = await self.wait_status(dossier, "awaiting_payment")
        await dossier.payment_confirmed(
            PaymentEvent(
                reference=f"{status.dossier_code}-FEE",
                transaction_id=transaction,
                amount=status.fee_amount or 0,
                paid_at=datetime.now().astimezone(),
            )
        )

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
        await dossier.payment_confirmed(
            PaymentEvent(
                reference=f"{code}-FEE",
                transaction_id=transaction,
                amount=10_000,
                paid_at=datetime.now().astimezone(),
            )
        )

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
async def running_worker(
    env: WorkflowEnvironment,
    catalog: Catalog,
    tmp_path: Path,
    *,
    options: RunOptions | None = None,
    adapters: Adapters | None = None,
) -> AsyncIterator[Harness]:
    url = f"sqlite:///{tmp_path / 'motcua.db'}"
    migrate(url)
    engine = make_engine(url)
    task_queue = f"test-{uuid.uuid4().hex}"
    adapters = adapters or Adapters()
    with ThreadPoolExecutor(max_workers=8) as executor:
        worker = build_worker(
            env.client,
            task_queue=task_queue,
            sessions=session_factory(engine),
            calendar=default_calendar(),
            adapters=adapters,
            executor=executor,
        )
        async with worker:
            yield Harness(
                client=env.client,
                catalog=catalog,
                task_queue=task_queue,
                sessions=session_factory(engine),
                adapters=adapters,
                options=options or RunOptions(rating_window=timedelta(0)),
            )
    engine.dispose()
