"""What officers, citizens and the payment platform may ask of a dossier: the updates (validated
before they enter the history, answered synchronously), the payment signal and the status query."""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from motcua.dossier import (
        TERMINAL_STATUSES,
        Ack,
        ClaimInput,
        DecisionInput,
        DossierStatus,
        PaymentEvent,
        RatingInput,
        SupplementInput,
        TaskView,
        WithdrawInput,
    )
    from workflows._rules import (
        RuleViolation,
        check_actor,
        check_decision,
        check_supplement,
    )
    from workflows._state import DossierState, task_view


class DossierCommands(DossierState):
    # ------------------------------------------------------------ updates, signals

    @workflow.query
    def status(self) -> DossierStatus:
        return self._status_view()

    @workflow.update
    async def claim(self, data: ClaimInput) -> TaskView:
        task = self._tasks[data.task_id]
        if task.claimed_by != data.actor.id:
            self._record_claim(task, data.actor.id, data.actor.role, workflow.now())
            await self._flush()
        return task_view(task)

    @claim.validator
    def _validate_claim(self, data: ClaimInput) -> None:
        check_actor(self._open_task(data.task_id), data.actor)

    @workflow.update
    async def release(self, data: ClaimInput) -> TaskView:
        task = self._tasks[data.task_id]
        task.claimed_by = task.claimed_at = None
        self._seq_event(
            "task.released",
            step_id=task.step_id,
            step_kind=task.step_kind,
            actor_id=data.actor.id,
            actor_role=data.actor.role,
            data={"task_id": task.task_id, "agency": task.agency},
        )
        await self._flush()
        return task_view(task)

    @release.validator
    def _validate_release(self, data: ClaimInput) -> None:
        task = self._open_task(data.task_id)
        if task.claimed_by != data.actor.id:
            raise RuleViolation(f"task {task.task_id} is not claimed by {data.actor.id}")

    @workflow.update
    async def decide(self, data: DecisionInput) -> Ack:
        self._decisions[data.task_id] = data
        await workflow.wait_condition(
            lambda: data.task_id in self._processed or self._status in TERMINAL_STATUSES
        )
        return self._ack(f"task {data.task_id} decided: {data.outcome}")

    @decide.validator
    def _validate_decide(self, data: DecisionInput) -> None:
        task = self._open_task(data.task_id)
        check_decision(
            procedure=self._proc,
            task=task,
            decision=data,
            deciders=self._deciders,
            now=workflow.now(),
            supplement_window_closes=self._supplement_window
            if task.step_kind == "review"
            else None,
        )

    @workflow.update
    async def supplement(self, data: SupplementInput) -> Ack:
        self._supplement = data
        await workflow.wait_condition(lambda: self._supplement is None)
        return self._ack("supplement received")

    @supplement.validator
    def _validate_supplement(self, data: SupplementInput) -> None:
        if self._status != "awaiting_supplement" or self._supplement is not None:
            raise RuleViolation(f"dossier {self._code} is not waiting for a supplement")
        check_supplement(self._missing, {d.id for d in data.documents})

    @workflow.update
    async def withdraw(self, data: WithdrawInput) -> Ack:
        self._withdraw = data
        await workflow.wait_condition(lambda: self._status in TERMINAL_STATUSES)
        return self._ack("dossier withdrawn")

    @withdraw.validator
    def _validate_withdraw(self, data: WithdrawInput) -> None:
        if self._decided or self._status in TERMINAL_STATUSES or self._withdraw is not None:
            raise RuleViolation(
                f"dossier {self._code} can no longer be withdrawn: it is {self._status} "
                "(withdrawal is allowed until the decision, Decree 118/2025 Art. 21)"
            )

    @workflow.update
    async def rate(self, data: RatingInput) -> Ack:
        self._rating = data
        await workflow.wait_condition(lambda: self._status == "rated")
        return self._ack("thank you for rating the service")

    @rate.validator
    def _validate_rate(self, data: RatingInput) -> None:
        if self._status != "completed" or self._rating is not None:
            raise RuleViolation(f"dossier {self._code} cannot be rated now: it is {self._status}")

    @workflow.signal
    async def payment_confirmed(self, event: PaymentEvent) -> None:
        """The payment platform's confirmation; idempotent by transaction, and a second, distinct
        payment of the same fee is refunded so no fee is ever paid twice."""
        if (
            event.reference != self._fee_reference
            or event.transaction_id in self._seen_transactions
        ):
            workflow.logger.info("payment.ignored", extra={"reference": event.reference})
            return
        self._seen_transactions.add(event.transaction_id)
        if self._paid is None and self._status not in TERMINAL_STATUSES:
            self._paid = event
            return
        self._record(
            "fee.duplicate",
            actor_id="payment-platform",
            data={"reference": event.reference, "transaction_id": event.transaction_id},
        )
        await self._refund(event, "duplicate payment")
        await self._flush()
