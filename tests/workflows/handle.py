"""The test's handle on a running engine: files dossiers and acts as citizens and officers
(started by :func:`tests.workflows.harness.running_worker`)."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session, sessionmaker
from temporalio.client import Client, WorkflowHandle
from temporalio.service import RPCError, RPCStatusCode

from activities.evidence import EvidenceHasher
from adapters import AdaptersConfig
from motcua.definitions import Catalog
from motcua.dossier import (
    Actor,
    Applicant,
    BundleStatus,
    DecisionInput,
    DossierStatus,
    PaymentEvent,
    RunOptions,
    SubmittedDocument,
    TaskView,
)
from motcua.engine import Dossier, Receipt, Submission, resolve, submit
from motcua.settings import DEV_EVIDENCE_PEPPER
from motcua.simulators.payment import pay_fee
from motcua.store import list_events
from workflows import BundleWorkflow

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
