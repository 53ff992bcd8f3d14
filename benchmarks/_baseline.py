"""The baseline: permanent residence registration written the way Temporal's samples write a
workflow, to measure motcua against.

Regular (non-local) activities for every side effect, one ``record_event`` activity per hand-off
(one SQLite insert each, like a naive application keeping its own log), the human steps awaited
with signals and ``workflow.wait_condition``, and a query the driver polls to learn what the
dossier waits for. No rules are checked: a signal cannot refuse a command.
"""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from temporalio import activity, workflow
from temporalio.client import Client
from temporalio.worker import Worker

with workflow.unsafe.imports_passed_through():
    import sqlalchemy as sa

    from adapters import Adapters
    from adapters.delivery import DeliveryReceipt, DeliveryRequest
    from adapters.payment import PaymentOrder, PaymentRequest
    from adapters.population import VerifyAnswer, VerifyRequest

TIMEOUT = timedelta(seconds=60)

# ------------------------------------------------------------------------------ contracts


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class BaselineInput(_Model):
    submission_id: str
    agency_code: str
    personal_id: str
    fee: int
    checks: list[str]
    deliveries: list[str]


class BaselineOutcome(_Model):
    dossier_code: str
    status: str
    result_code: str | None = None


class BaselineStatus(_Model):
    dossier_code: str
    stage: str
    open_step: str | None = None
    fee: int


class Decision(_Model):
    step: str
    officer: str
    outcome: str


class Payment(_Model):
    reference: str
    transaction_id: str
    amount: int


class CodeRequest(_Model):
    submission_id: str
    agency_code: str
    received_on: date


class EventRecord(_Model):
    workflow_id: str
    seq: int
    type: str
    dossier_code: str
    step: str | None = None
    actor: str
    outcome: str | None = None
    occurred_at: datetime
    data: dict[str, Any] = Field(default_factory=dict)


class IssueRequest(_Model):
    dossier_code: str
    personal_id: str


class IssuedResult(_Model):
    result_id: str
    result_code: str
    document_hash: str


# -------------------------------------------------------------------------------- workflow


@workflow.defn
class BaselineDossierWorkflow:
    """One dossier: code, receipt, verification, fee, review, approval, result, delivery."""

    @workflow.init
    def __init__(self, data: BaselineInput) -> None:
        self._in = data
        self._code = ""
        self._stage = "submitted"
        self._open_step: str | None = None
        self._seq = 0
        self._decisions: dict[str, Decision] = {}
        self._payment: Payment | None = None

    @workflow.run
    async def run(self, data: BaselineInput) -> BaselineOutcome:
        self._code = await workflow.execute_activity_method(
            BaselineActivities.allocate_code,
            CodeRequest(
                submission_id=data.submission_id,
                agency_code=data.agency_code,
                received_on=workflow.now().date(),
            ),
            start_to_close_timeout=TIMEOUT,
        )
        await self._record("dossier.submitted", actor="citizen")

        if (await self._human_task("receive", "one-stop-officer")).outcome != "accept":
            return await self._end("refused")
        await self._record("dossier.accepted", actor="one-stop-officer")

        self._stage = "verifying"
        answer = await workflow.execute_activity_method(
            BaselineActivities.verify,
            VerifyRequest(personal_id=data.personal_id, checks=data.checks),
            start_to_close_timeout=TIMEOUT,
        )
        await self._record(
            "verification.completed",
            actor=answer.source,
            outcome="confirmed" if answer.ok else "not_confirmed",
            data={"response_hash": answer.response_hash},
        )
        if not answer.ok:
            return await self._end("refused")

        reference = f"{self._code}-FEE"
        await workflow.execute_activity_method(
            BaselineActivities.request_payment,
            PaymentRequest(
                reference=reference,
                amount=data.fee,
                description=f"Residence registration {self._code}",
                expires_at=workflow.now() + timedelta(hours=72),
            ),
            start_to_close_timeout=TIMEOUT,
        )
        await self._record("fee.requested", actor="system", data={"reference": reference})
        self._stage = "awaiting_payment"
        await workflow.wait_condition(lambda: self._payment is not None)
        assert self._payment is not None
        await self._record(
            "fee.paid", actor="payment-platform", data=self._payment.model_dump(mode="json")
        )

        if (await self._human_task("review", "residence-officer")).outcome != "approve":
            return await self._end("rejected")
        if (await self._human_task("sign", "police-chief")).outcome != "approve":
            return await self._end("rejected")

        self._stage = "issuing_result"
        issued = await workflow.execute_activity_method(
            BaselineActivities.issue_result,
            IssueRequest(dossier_code=self._code, personal_id=data.personal_id),
            start_to_close_timeout=TIMEOUT,
        )
        await self._record("result.issued", actor="system", data={"result_id": issued.result_id})
        for channel in data.deliveries:
            receipt = await workflow.execute_activity_method(
                BaselineActivities.deliver,
                DeliveryRequest(
                    result_id=issued.result_id,
                    result_code=issued.result_code,
                    channel=channel,
                    document_hash=issued.document_hash,
                    personal_id=data.personal_id,
                ),
                start_to_close_timeout=TIMEOUT,
            )
            await self._record(
                "result.delivered", actor="system", data={"tracking": receipt.tracking}
            )
        self._stage = "completed"
        await self._record("dossier.completed", actor="system")
        return BaselineOutcome(
            dossier_code=self._code, status=self._stage, result_code=issued.result_code
        )

    @workflow.query
    def status(self) -> BaselineStatus:
        return BaselineStatus(
            dossier_code=self._code,
            stage=self._stage,
            open_step=self._open_step,
            fee=self._in.fee,
        )

    @workflow.signal
    def decide(self, decision: Decision) -> None:
        self._decisions.setdefault(decision.step, decision)

    @workflow.signal
    def payment_confirmed(self, payment: Payment) -> None:
        if self._payment is None:
            self._payment = payment

    async def _human_task(self, step: str, role: str) -> Decision:
        await self._record("task.created", step=step, actor="system", data={"role": role})
        self._stage, self._open_step = f"awaiting_{step}", step
        await workflow.wait_condition(lambda: step in self._decisions)
        self._open_step = None
        decision = self._decisions[step]
        await self._record(
            "task.decided", step=step, actor=decision.officer, outcome=decision.outcome
        )
        return decision

    async def _end(self, stage: str) -> BaselineOutcome:
        self._stage = stage
        await self._record(f"dossier.{stage}", actor="system")
        return BaselineOutcome(dossier_code=self._code, status=stage)

    async def _record(self, event_type: str, **fields: Any) -> None:
        self._seq += 1
        await workflow.execute_activity_method(
            BaselineActivities.record_event,
            EventRecord(
                workflow_id=workflow.info().workflow_id,
                seq=self._seq,
                type=event_type,
                dossier_code=self._code,
                occurred_at=workflow.now(),
                **fields,
            ),
            start_to_close_timeout=TIMEOUT,
        )


# ------------------------------------------------------------------------------ activities

METADATA = sa.MetaData()
EVENTS = sa.Table(
    "baseline_events",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("workflow_id", sa.String, nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("type", sa.String, nullable=False),
    sa.Column("dossier_code", sa.String, nullable=False),
    sa.Column("step", sa.String),
    sa.Column("actor", sa.String, nullable=False),
    sa.Column("outcome", sa.String),
    sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("data", sa.JSON, nullable=False),
    sa.UniqueConstraint("workflow_id", "seq"),
)
CODES = sa.Table(
    "baseline_codes",
    METADATA,
    sa.Column("seq", sa.Integer, primary_key=True),
    sa.Column("submission_id", sa.String, nullable=False, unique=True),
    sa.Column("agency_code", sa.String, nullable=False),
    sa.Column("received_on", sa.Date, nullable=False),
)


class BaselineActivities:
    """Side effects through the same adapters and simulators motcua uses; the log in its own
    tables."""

    def __init__(self, engine: sa.Engine, adapters: Adapters) -> None:
        self._engine = engine
        self._population = adapters.population
        self._payments = adapters.payment
        self._delivery = adapters.delivery

    @activity.defn(name="baseline.allocate_code")
    def allocate_code(self, request: CodeRequest) -> str:
        with self._engine.begin() as conn:
            conn.execute(
                sa.insert(CODES)
                .prefix_with("OR IGNORE")
                .values(
                    submission_id=request.submission_id,
                    agency_code=request.agency_code,
                    received_on=request.received_on,
                )
            )
            seq = conn.scalar(
                sa.select(CODES.c.seq).where(CODES.c.submission_id == request.submission_id)
            )
        return f"{request.agency_code}-{request.received_on:%y%m%d}-{seq:04d}"

    @activity.defn(name="baseline.verify")
    async def verify(self, request: VerifyRequest) -> VerifyAnswer:
        return await self._population.verify(request)

    @activity.defn(name="baseline.request_payment")
    async def request_payment(self, request: PaymentRequest) -> PaymentOrder:
        return await self._payments.create_request(request)

    @activity.defn(name="baseline.issue_result")
    async def issue_result(self, request: IssueRequest) -> IssuedResult:
        document = f"{request.dossier_code}|residence-confirmation|{request.personal_id}"
        return IssuedResult(
            result_id=f"{request.dossier_code}/residence-confirmation",
            result_code=f"{request.personal_id}TT",
            document_hash=hashlib.sha256(document.encode()).hexdigest(),
        )

    @activity.defn(name="baseline.deliver")
    async def deliver(self, request: DeliveryRequest) -> DeliveryReceipt:
        return await self._delivery.deliver(request)

    @activity.defn(name="baseline.record_event")
    def record_event(self, event: EventRecord) -> None:
        with self._engine.begin() as conn:
            conn.execute(sa.insert(EVENTS).prefix_with("OR IGNORE").values(**event.model_dump()))


def build_baseline_worker(
    client: Client,
    *,
    task_queue: str,
    engine: sa.Engine,
    adapters: Adapters,
    executor: ThreadPoolExecutor,
) -> Worker:
    """The baseline's worker; ``engine`` must hold the tables of `METADATA`."""
    activities = BaselineActivities(engine, adapters)
    return Worker(
        client,
        task_queue=task_queue,
        workflows=[BaselineDossierWorkflow],
        activities=[
            activities.allocate_code,
            activities.verify,
            activities.request_payment,
            activities.issue_result,
            activities.deliver,
            activities.record_event,
        ],
        activity_executor=executor,  # allocate_code and record_event are synchronous
    )
