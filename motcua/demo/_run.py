"""A realistic demo load: citizens file across the sample procedures, simulated officers and
citizens act with realistic delays and outcomes, on a compressed calendar clock.

Officers and citizens act only through the engine's commands (updates and signals), exactly as
the API will; they learn what to do from the read model, like an officer's inbox.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy.orm import Session, sessionmaker
from temporalio.client import Client, WorkflowUpdateRPCTimeoutOrCancelledError

from motcua.definitions import Catalog
from motcua.demo._people import applicant
from motcua.dossier import (
    Actor,
    DecisionInput,
    PaymentEvent,
    RatingInput,
    RunOptions,
    SubmittedDocument,
    SupplementInput,
    WithdrawInput,
)
from motcua.engine import CommandRefused, Dossier, Submission, resolve, submit
from motcua.simulators.payment import pay_fee
from motcua.store import TaskRow, get_dossier, list_dossiers, list_tasks, summary

# (procedure code, share of the load). Shares follow a commune's typical mix.
MIX = [
    ("1.001193", 0.22),  # birth registration
    ("1.004222", 0.30),  # permanent residence
    ("2.000488", 0.15),  # judicial record certificate
    ("1.001612", 0.10),  # business household
    ("1.000894", 0.13),  # marriage registration
    ("3.000722", 0.10),  # group-1 bundle: birth + residence + child health insurance
]

# Median delay in calendar hours and the spread (lognormal sigma) of each actor's reaction.
DELAYS = {
    "receipt": (2.0, 0.8),
    "verify": (1.0, 0.5),
    "review": (14.0, 1.1),
    "consult": (20.0, 0.9),
    "approval": (4.0, 0.9),
    "payment": (3.0, 1.0),
    "supplement": (30.0, 0.8),
    "rating": (2.0, 0.5),
}

# Outcome probabilities by step kind (the rest of the mass goes to the first outcome).
OUTCOMES = {
    "receipt": {"request_supplement": 0.09, "refuse": 0.04},
    "review": {"request_supplement": 0.06, "reject": 0.04},
    "approval": {"reject": 0.02},
    "consult": {"object": 0.04},
}


@dataclass
class DemoConfig:
    dossiers: int = 200
    time_scale: float = 6_000.0  # an 8-hour working day passes in about 5 s
    seed: int = 7
    max_seconds: float = 150.0
    online_share: float = 0.7
    payment_url: str | None = None  # the payment simulator citizens pay at; else a bare signal
    platform_calls_back: bool = False  # the platform confirms to the API's signed callback


@dataclass
class _Crowd:
    """Officers and citizens of the demo; remembers what each has already started doing."""

    client: Client
    catalog: Catalog
    sessions: sessionmaker[Session]
    config: DemoConfig
    rng: random.Random
    started: set[str] = field(default_factory=set)
    jobs: set[asyncio.Task[None]] = field(default_factory=set)

    def delay(self, kind: str) -> float:
        median, sigma = DELAYS[kind]
        hours = median * math.exp(self.rng.gauss(0, sigma))
        return hours * 3600 / self.config.time_scale

    def task_delay(self, task: TaskRow, kind: str) -> float:
        """Officers mostly finish within the step's SLA; a long tail does not."""
        if task.due_at is None:
            return self.delay(kind)
        sla = (task.due_at - task.created_at).total_seconds()
        return sla * 0.45 * math.exp(self.rng.gauss(0, 0.6))

    def later(self, key: str, seconds: float, action: Any) -> None:
        if key in self.started:
            return
        self.started.add(key)

        async def job() -> None:
            await asyncio.sleep(seconds)
            # CommandRefused: the dossier moved on (withdrawn, lapsed), nothing left to do.
            with contextlib.suppress(CommandRefused, WorkflowUpdateRPCTimeoutOrCancelledError):
                await action()

        task = asyncio.create_task(job())
        self.jobs.add(task)
        task.add_done_callback(self.jobs.discard)

    # -- officers

    def look_at_inbox(self) -> None:
        with self.sessions() as session:
            tasks = list_tasks(session, status=("open",), limit=500)
            for task in tasks:
                kind = self._step_kind(session, task)
                delay = self.task_delay(task, kind)
                self.later(task.task_id, delay, lambda t=task, k=kind: self._decide(t, k))

    def _step_kind(self, session: Session, task: TaskRow) -> str:
        if task.branch_id:
            return "consult"
        dossier = _dossier(session, task.dossier_code)
        procedure = self.catalog.get(dossier.procedure_code, dossier.procedure_version)
        return procedure.step(task.step_id or "").kind

    async def _decide(self, task: TaskRow, kind: str, officer: int = 1) -> None:
        outcome, missing = self._outcome(task, kind)
        actor = Actor(id=f"{task.role}-{officer}", role=task.role, agency=task.agency)
        dossier = Dossier(self.client, task.workflow_id)
        try:
            await dossier.decide(
                DecisionInput(
                    task_id=task.task_id, actor=actor, outcome=outcome, missing_documents=missing
                )
            )
        except CommandRefused as refused:
            if "four-eyes" in refused.message and officer < 3:
                await self._decide(task, kind, officer + 1)  # a colleague takes it
            elif outcome == "request_supplement":
                await self._decide_plain(dossier, task, actor, kind)

    async def _decide_plain(self, dossier: Dossier, task: TaskRow, actor: Actor, kind: str) -> None:
        first = "accept" if kind == "receipt" else "approve"
        await dossier.decide(DecisionInput(task_id=task.task_id, actor=actor, outcome=first))

    def _outcome(self, task: TaskRow, kind: str) -> tuple[str, list[str]]:
        roll, cumulative = self.rng.random(), 0.0
        for outcome, p in OUTCOMES.get(kind, {}).items():
            cumulative += p
            if roll < cumulative:
                if outcome == "request_supplement":
                    return outcome, self._askable_documents(task)
                return outcome, []
        return task.outcomes[0], []

    def _askable_documents(self, task: TaskRow) -> list[str]:
        with self.sessions() as session:
            dossier = _dossier(session, task.dossier_code)
        procedure = self.catalog.get(dossier.procedure_code, dossier.procedure_version)
        askable = [d.id for d in procedure.documents if d.replaced_by is None]
        return askable[:1]

    # -- citizens

    def look_at_dossiers(self) -> None:
        with self.sessions() as session:
            waiting = list_dossiers(
                session,
                status=("awaiting_payment", "awaiting_supplement", "completed", "in_review"),
                limit=1000,
            )
        for d in waiting:
            key = f"{d.dossier_code}/{d.status}/{d.supplement_requests}"
            handle = Dossier(self.client, d.workflow_id)
            if d.status == "awaiting_payment" and self.rng.random() < 0.97:
                self.later(key, self.delay("payment"), lambda h=handle, r=d: self._pay(h, r))
            elif d.status == "awaiting_supplement" and self.rng.random() < 0.9:
                docs = [SubmittedDocument(id=doc) for doc in d.missing_documents or []]
                self.later(
                    key,
                    self.delay("supplement"),
                    lambda h=handle, s=docs: h.supplement(SupplementInput(documents=s)),
                )
            elif d.status == "completed" and self.rng.random() < 0.6:
                rating = RatingInput(
                    score=self.rng.choice([5, 5, 5, 4, 4, 3]), complaint=self.rng.random() < 0.03
                )
                self.later(key, self.delay("rating"), lambda h=handle, r=rating: h.rate(r))
            elif d.status == "in_review" and self.rng.random() < 0.01:
                self.later(
                    key,
                    self.delay("rating"),
                    lambda h=handle: h.withdraw(WithdrawInput()),
                )
            else:
                self.started.add(key)  # this citizen decided not to act

    async def _pay(self, dossier: Dossier, row: Any) -> None:
        reference = f"{row.dossier_code}-FEE"
        transaction = f"VNPAY-{self.rng.randrange(10**10):010d}"
        if self.config.payment_url is None:
            paid = PaymentEvent(
                reference=reference,
                transaction_id=transaction,
                amount=row.fee_amount or 0,
                paid_at=datetime.now(UTC),
            )
        else:  # at the platform, which the dossier reconciles with or refunds through
            confirmation = await pay_fee(
                self.config.payment_url, reference, transaction_id=transaction
            )
            if self.config.platform_calls_back:
                return
            paid = PaymentEvent.model_validate(confirmation.model_dump())
        await dossier.payment_confirmed(paid)


def _dossier(session: Session, code: str) -> Any:
    row = get_dossier(session, code)
    assert row is not None, code
    return row


async def run_demo(
    client: Client,
    catalog: Catalog,
    sessions: sessionmaker[Session],
    *,
    task_queue: str,
    config: DemoConfig,
    console: Console,
) -> dict[str, Any]:
    """Submit ``config.dossiers`` dossiers, let the crowd work them, and return the summary."""
    rng = random.Random(config.seed)
    crowd = _Crowd(client, catalog, sessions, config, rng)
    began = datetime.now(UTC)
    options = RunOptions(time_scale=config.time_scale, clock_epoch=began)
    codes = [code for code, _ in MIX]
    weights = [share for _, share in MIX]
    with Progress(
        SpinnerColumn(),
        TextColumn("[bold]demo"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total} dossiers finished"),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as progress:
        bar = progress.add_task("dossiers", total=config.dossiers)
        loop = asyncio.get_running_loop()
        end_at = loop.time() + config.max_seconds
        submitted = 0
        while loop.time() < end_at:
            # Arrivals spread over the first part of the run, a few per tick.
            for _ in range(min(2, config.dossiers - submitted)):
                code = rng.choices(codes, weights)[0]
                target = resolve(catalog, code)
                wanted = "online" if rng.random() < config.online_share else "counter"
                # A bundle is offered online only: file through a channel it offers.
                channel = wanted if wanted in target.channels else target.channels[0]
                # The citizen brings every document of theirs the procedure lists.
                documents = [SubmittedDocument(id=d) for d in target.citizen_documents]
                await submit(
                    client,
                    catalog,
                    Submission(
                        procedure=code,
                        channel=channel,
                        applicant=applicant(rng),
                        form={
                            "parents_married": rng.random() < 0.8,
                            "members_count": rng.randint(1, 4),
                        },
                        documents=documents,
                        submission_id=f"demo-{began:%Y%m%d%H%M%S}-{submitted:05d}",
                    ),
                    task_queue=task_queue,
                    options=options,
                )
                submitted += 1
            crowd.look_at_inbox()
            crowd.look_at_dossiers()
            figures = _summary(sessions, began)
            progress.update(
                bar, total=max(figures["received"], config.dossiers), completed=_ended(figures)
            )
            if (
                submitted >= config.dossiers
                and figures["received"]
                and _ended(figures) >= figures["received"]
            ):
                break
            await asyncio.sleep(0.2)
    for job in list(crowd.jobs):
        job.cancel()
    return _summary(sessions, began)


def _summary(sessions: sessionmaker[Session], since: datetime) -> dict[str, Any]:
    with sessions() as session:
        return summary(session, received_from=since)


def _ended(figures: dict[str, Any]) -> int:
    return int(figures["received"] - figures["in_progress"])


def print_summary(console: Console, figures: dict[str, Any]) -> None:
    table = Table(title="Dossiers", show_header=False, title_justify="left")
    table.add_column("what")
    table.add_column("count", justify="right")
    finished = figures["finished"] or 0
    rows = [
        ("received", figures["received"]),
        ("finished", finished),
        ("  early", figures["early"]),
        ("  on time", figures["on_time"]),
        ("  late", figures["late"]),
        ("refused at receipt or verification", figures["refused"]),
        ("rejected after review", figures["rejected"]),
        ("withdrawn", figures["withdrawn"]),
        ("lapsed (no payment or supplement)", figures["lapsed"]),
        ("in progress", figures["in_progress"]),
        ("online share", f"{figures['online_share']:.0%}"),
    ]
    for what, count in rows:
        table.add_row(what, str(count))
    console.print(table)
    if finished:
        on_time = (figures["early"] + figures["on_time"]) / finished
        console.print(f"On-time rate among finished dossiers: [bold]{on_time:.1%}[/bold]")
