"""The simulated citizens: they see their dossier's status (as the tracking page shows it) and
pay, supplement, rate or withdraw after a delay drawn from the office file — or never."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm import Session, sessionmaker
from temporalio.client import Client

from motcua.demo._clock import utc_now
from motcua.demo._desk import Desk
from motcua.demo._office_file import Citizens as Behaviour
from motcua.demo._office_file import Lognormal
from motcua.demo._schedule import Draws, Scheduler
from motcua.dossier import (
    PaymentEvent,
    RatingInput,
    SubmittedDocument,
    SupplementInput,
    WithdrawInput,
)
from motcua.engine import Dossier
from motcua.simulators.payment import pay_fee
from motcua.store import DossierRow, list_dossiers

WATCHED = ("awaiting_payment", "awaiting_supplement", "completed", "in_review")


@dataclass
class Citizens:
    client: Client
    sessions: sessionmaker[Session]
    behaviour: Behaviour
    scheduler: Scheduler
    draws: Draws
    desk: Desk  # told of payments and supplements: they should give an officer a task
    payment_url: str | None = None  # the payment simulator they pay at; else a bare signal
    platform_calls_back: bool = False  # the platform confirms to the API's signed callback

    def look_at_dossiers(self) -> None:
        with self.sessions() as session:
            rows = list_dossiers(session, status=WATCHED, limit=5_000)
        for row in rows:
            key = f"{row.workflow_id}/{row.status}/{row.supplement_requests}"
            scale = self.scheduler.scale_of(row.workflow_id)
            if key in self.scheduler.started or scale is None:
                continue
            rng = self.draws.rng(row.workflow_id, row.status, row.supplement_requests)
            errand = self._errand(row, rng)
            if errand is None:
                self.scheduler.started.add(key)  # this citizen decided not to act
            else:
                delay, act = errand
                self.scheduler.spawn(key, self._after(row, scale, delay, act))

    def _errand(
        self, row: DossierRow, rng: random.Random
    ) -> tuple[Lognormal, Callable[[], Awaitable[object]]] | None:
        b, handle = self.behaviour, Dossier(self.client, row.workflow_id)
        if row.status == "awaiting_payment" and rng.random() >= b.never_pay:
            return b.pay_hours, lambda: self._pay(handle, row)
        if row.status == "awaiting_supplement" and rng.random() >= b.never_supplement:
            docs = [SubmittedDocument(id=doc) for doc in row.missing_documents or []]
            return b.supplement_hours, lambda: self._supplement(handle, docs)
        if row.status == "completed" and rng.random() < b.rate_share:
            rating = RatingInput(
                score=rng.choice([5, 5, 5, 4, 4, 3]), complaint=rng.random() < b.complaint_share
            )
            return b.rate_hours, lambda: handle.rate(rating)
        if row.status == "in_review" and rng.random() < b.withdraw_share:
            return b.rate_hours, lambda: handle.withdraw(WithdrawInput())
        return None

    def _after(
        self,
        row: DossierRow,
        scale: float,
        delay: Lognormal,
        act: Callable[[], Awaitable[object]],
    ) -> Callable[[], Awaitable[None]]:
        rng = self.draws.rng(row.workflow_id, "delay", row.status, row.supplement_requests)
        # Counted from when the dossier reached this status (its last event), not from when the
        # demo noticed, on the dossier's own clock: a citizen waits for nobody else, so a later
        # slowdown of the office's clock must not stretch their delay against its deadlines.
        at = row.updated_at + timedelta(hours=delay.draw(rng)) / scale

        async def errand() -> None:
            await asyncio.sleep(max(0.0, (at - utc_now()).total_seconds()))
            await act()

        return errand

    async def _supplement(self, dossier: Dossier, docs: list[SubmittedDocument]) -> None:
        self.desk.sent(dossier.workflow_id)
        await dossier.supplement(SupplementInput(documents=docs))

    async def _pay(self, dossier: Dossier, row: DossierRow) -> None:
        reference = f"{row.dossier_code}-FEE"
        rng = self.draws.rng(row.workflow_id, "transaction")
        transaction = f"VNPAY-{rng.randrange(10**10):010d}"
        self.desk.sent(dossier.workflow_id)
        if self.payment_url is None:
            paid = PaymentEvent(
                reference=reference,
                transaction_id=transaction,
                amount=row.fee_amount or 0,
                paid_at=utc_now(),
            )
        else:  # at the platform, which the dossier reconciles with or refunds through
            confirmation = await pay_fee(self.payment_url, reference, transaction_id=transaction)
            if self.platform_calls_back:
                return
            paid = PaymentEvent.model_validate(confirmation.model_dump())
        await dossier.payment_confirmed(paid)
