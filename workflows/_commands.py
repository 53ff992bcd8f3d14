"""What officers, citizens and other systems may ask of a dossier: the updates (validated before
they enter the history, answered synchronously), the payment and population signals, the status
query."""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from motcua.dossier import (
        TERMINAL_STATUSES,
        Ack,
        ClaimInput,
        ConsultationReplyInput,
        DecisionInput,
        DossierStatus,
        PaymentEvent,
        PopulationChangeInput,
        RatingInput,
        SubmissionReceipt,
        SupplementInput,
        TaskView,
        WithdrawInput,
    )
    from workflows._rules import (
        StateConflict,
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
    async def submitted(self) -> SubmissionReceipt:
        """Sent with the start (update-with-start): answers once the dossier has its code and
        its submission is in the read model, so a portal gets the code in one call."""
        await workflow.wait_condition(lambda: self._submitted_projected)
        return SubmissionReceipt(
            dossier_code=self._code,
            workflow_id=workflow.info().workflow_id,
            status=self._status,
            received_at=self._received_at,
        )

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
            raise StateConflict(f"task {task.task_id} is not claimed by {data.actor.id}")

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
            raise StateConflict(f"dossier {self._code} is not waiting for a supplement")
        check_supplement(self._missing, {d.id for d in data.documents})

    @workflow.update
    async def withdraw(self, data: WithdrawInput) -> Ack:
        self._withdraw = data
        await workflow.wait_condition(lambda: self._status in TERMINAL_STATUSES)
        return self._ack("dossier withdrawn")

    @withdraw.validator
    def _validate_withdraw(self, data: WithdrawInput) -> None:
        if self._decided or self._status in TERMINAL_STATUSES or self._withdraw is not None:
            raise StateConflict(
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
            raise StateConflict(f"dossier {self._code} cannot be rated now: it is {self._status}")

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

    @workflow.update
    async def consultation_replied(self, data: ConsultationReplyInput) -> Ack:
        """A consulted agency's system pushes its reply; answered once the timeline shows it.
        An update, not a signal, so that a push the branch no longer waits for is refused."""
        self._pushed_replies[data.reference] = data
        await workflow.wait_condition(
            lambda: data.reference in self._replies_done or self._status in TERMINAL_STATUSES
        )
        return self._ack(f"reply to consultation {data.reference} recorded: {data.outcome}")

    @consultation_replied.validator
    def _validate_consultation_replied(self, data: ConsultationReplyInput) -> None:
        if (
            data.reference not in self._awaited_replies
            or data.reference in self._pushed_replies
            or self._status in TERMINAL_STATUSES
        ):
            raise StateConflict(
                f"consultation {data.reference} of dossier {self._code} is not waiting for a reply"
            )

    @workflow.signal
    async def population_changed(self, change: PopulationChangeInput) -> None:
        """The population database reports a change about the applicant. Recorded once per
        cursor; a death before the decision closes the dossier (the interpreter refuses it at
        its next wait); any other change is shown to the officers holding the dossier, who
        decide what it means for it."""
        if not workflow.patched("population-changes"):
            return  # delivered to a worker that did not know the signal yet: it was dropped
        if (
            not self._code  # not even received yet: nothing to record it against
            or change.personal_id != self._in.applicant.personal_id
            or change.cursor in self._population_cursors
            or self._status in TERMINAL_STATUSES
        ):
            workflow.logger.info("population.change_ignored", extra={"cursor": change.cursor})
            return
        self._population_cursors.add(change.cursor)
        closes = change.kind == "died" and not self._decided
        day = change.effective_on.isoformat()
        self._record(
            "population.changed",
            actor_id="population-database",
            outcome=change.kind,
            data={
                "kind": change.kind,
                "effective_on": day,
                "cursor": change.cursor,
                # Which facts changed, not their values: the log holds no raw personal data.
                "facts": sorted(change.facts),
                "closes_dossier": closes,
            },
        )
        if closes:
            self._death = change
        else:
            self._population_notes.append(f"population record changed: {change.kind} on {day}")
            if self._tasks:
                self._waiting_for = self._describe_open_tasks()
        await self._flush()
