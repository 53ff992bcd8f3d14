"""ProcedureWorkflow: one dossier, interpreted from the definition pinned at submission.

Lifecycle (Decree 118/2025): code → receipt → verification → fee → review / consultation /
approval → result → rating, with supplements (clock stopped, restarted from zero, 15-day lapse),
the apology and single extension before a late due date, and withdrawal until the decision.
Every hand-off is recorded as an event; events are projected in batches just before the workflow
waits, so a dossier costs few round trips.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import datetime, timedelta
from typing import Any, TypeVar

from temporalio import workflow
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from activities import (
        CodeRequest,
        ConsultationActivities,
        DeadlineActivities,
        DueAnswer,
        DueRequest,
        FeeRequest,
        IssueRequest,
        PaymentActivities,
        ReplyPoll,
        ResultActivities,
        StoreActivities,
        VerificationActivities,
        VerifyInput,
        issue_result,
    )
    from adapters.consultation import ConsultationReply, ConsultationRequest
    from adapters.delivery import DeliveryRequest
    from motcua.definitions import (
        ApprovalStep,
        ConsultBranch,
        ConsultStep,
        PaymentStep,
        ReceiptStep,
        ResultStep,
        ReviewStep,
        Step,
        VerifyStep,
        WorkSpan,
    )
    from motcua.definitions import evaluate as evaluate_condition
    from motcua.dossier import (
        TERMINAL_STATUSES,
        DecisionInput,
        DossierInput,
        DossierOutcome,
        DossierStatusName,
        PaymentEvent,
        Timeliness,
        fee_reference,
    )
    from workflows import _search
    from workflows._commands import DossierCommands
    from workflows._rules import (
        OpenTask,
    )
    from workflows._state import (
        ADAPTER_CALL,
        ADAPTER_RETRY,
        LOCAL,
        ApplicantDied,
        Ended,
        Interrupted,
        Withdrawn,
        timeliness_of,
    )

T = TypeVar("T")


STEP_STATUS: dict[str, DossierStatusName] = {
    "receipt": "awaiting_receipt",
    "verify": "verifying",
    "payment": "awaiting_payment",
    "review": "in_review",
    "consult": "in_consultation",
    "approval": "awaiting_approval",
    "result": "issuing_result",
}


@workflow.defn
class ProcedureWorkflow(DossierCommands):
    @workflow.init
    def __init__(self, data: DossierInput) -> None:
        super().__init__(data)

    # ----------------------------------------------------------------------------- run

    @workflow.run
    async def run(self, data: DossierInput) -> DossierOutcome:
        await self._submit()
        try:
            for step in self._proc.steps:
                if step.when is None or evaluate_condition(step.when, self._context()):
                    self._step = step
                    await self._run_step(step)
            await self._await_rating()
        except Withdrawn:
            await self._end_withdrawn()
        except ApplicantDied:
            await self._end_applicant_died()
        except Ended:
            pass
        await self._flush()
        await asyncio.gather(*self._notices)
        await workflow.wait_condition(workflow.all_handlers_finished)
        return DossierOutcome(
            dossier_code=self._code,
            status=self._status,
            timeliness=self._timeliness,
            result_code=self._result_code,
        )

    async def _run_step(self, step: Step) -> None:
        self._set_status(STEP_STATUS[step.kind])
        if isinstance(step, ReceiptStep):
            await self._receipt(step)
        elif isinstance(step, VerifyStep):
            await self._verify(step)
        elif isinstance(step, PaymentStep):
            await self._payment(step)
        elif isinstance(step, ReviewStep | ApprovalStep):
            await self._review(step)
        elif isinstance(step, ConsultStep):
            await self._consult(step)
        elif isinstance(step, ResultStep):
            await self._result(step)

    # ----------------------------------------------------------------------- the steps

    async def _submit(self) -> None:
        self._code = await workflow.execute_local_activity_method(
            StoreActivities.allocate_code,
            CodeRequest(
                submission_id=self._in.submission_id,
                agency_code=self._in.agency_code,
                received_at=self._received_at,
            ),
            start_to_close_timeout=LOCAL,
        )
        self._fee_reference = fee_reference(self._code)
        if self._in.options.search_attributes:
            workflow.upsert_search_attributes(
                [
                    _search.DOSSIER_CODE.value_set(self._code),
                    _search.PROCEDURE.value_set(self._proc.code),
                    _search.AGENCY.value_set(self._proc.agency),
                    _search.STATUS.value_set(self._status),
                ]
            )
        self._record(
            "dossier.submitted",
            channel=self._in.channel,
            handed_from="citizen",
            handed_to=self._proc.agency,
            data={
                "documents": [d.id for d in self._in.documents],
                "full_process_online": self._proc.full_process_online
                and self._in.channel == "online",
                **self._demo_clock(),
            },
        )

    def _demo_clock(self) -> dict[str, Any]:
        """On a fast demo calendar, how to read this dossier's timestamps as calendar time:
        ``epoch + (t - epoch) * time_scale`` (the analyzer does)."""
        options = self._in.options
        if options.time_scale == 1 or options.clock_epoch is None:
            return {}
        return {"time_scale": options.time_scale, "clock_epoch": options.clock_epoch.isoformat()}

    async def _receipt(self, step: ReceiptStep) -> None:
        while True:
            decision = await self._human_task(step, step.role, self._agency_of(step), step.sla)
            if decision.outcome == "accept":
                break
            if decision.outcome == "refuse":
                await self._end("refused", "dossier.refused", step, reason=decision.comment)
            await self._supplement_cycle(step, decision)
        self._accepted_at = workflow.now()
        due = await self._compute_due(self._accepted_at, self._proc.deadline)
        window = await self._compute_due(
            self._accepted_at,
            WorkSpan(working_days=self._in.options.supplement_window_working_days),
            cutoff=False,
        )
        self._supplement_window = window.due_at
        self._start_clock(due)
        self._record("dossier.accepted", step=step, due_at=due.due_at, channel=self._in.channel)
        self._notify("citizen", "receipt_slip", due_at=due.due_at.isoformat())

    async def _verify(self, step: VerifyStep) -> None:
        self._waiting_for = f"{step.adapter} database"
        outcome = await workflow.execute_activity_method(
            VerificationActivities.verify_applicant,
            VerifyInput(
                dossier_code=self._code,
                personal_id=self._in.applicant.personal_id,
                checks=list(step.checks),
                adapter=step.adapter,
            ),
            task_queue=self._agency_queue(self._proc.agency),
            start_to_close_timeout=ADAPTER_CALL,
            retry_policy=ADAPTER_RETRY,
        )
        facts: dict[str, Any] = {
            "evidence_id": outcome.evidence_id,
            "source": outcome.source,
            "checks": list(step.checks),
            "query_hash": outcome.query_hash,
            "response_hash": outcome.response_hash,
            "ok": outcome.ok,
        }
        if outcome.ok:
            self._record("verification.completed", step=step, outcome="confirmed", data=facts)
            return
        facts["failed_checks"] = outcome.failed_checks
        self._record("verification.failed", step=step, outcome="not_confirmed", data=facts)
        await self._end("refused", "dossier.refused", step, reason=outcome.reason)

    async def _payment(self, step: PaymentStep) -> None:
        amount = self._fee_due()
        self._fee_amount = amount
        if amount == 0:
            self._record("fee.exempted", step=step, data={"amount": 0})
            return
        assert self._fee_reference is not None
        scale = self._in.options.time_scale
        fee = FeeRequest(
            reference=self._fee_reference,
            amount=amount,
            description=f"{self._proc.name.vi} — {self._code}",
            payer_id=self._in.applicant.personal_id,
            valid_for=timedelta(hours=step.expires_after_hours) / scale,
        )
        task_queue = self._agency_queue(self._proc.agency)
        if workflow.patched("fee-expiry-at-platform"):
            # The expiry counts from the platform's acceptance: the activity sets it at each
            # attempt, and the order says which one the platform holds.
            order = await workflow.execute_activity_method(
                PaymentActivities.request_payment,
                fee,
                task_queue=task_queue,
                start_to_close_timeout=ADAPTER_CALL,
                retry_policy=ADAPTER_RETRY,
            )
            expires = order.expires_at
        else:  # recorded before the platform reported the expiry (its order has none)
            expires = workflow.now() + fee.valid_for
            await workflow.execute_activity(
                "motcua.request_payment",
                fee,
                task_queue=task_queue,
                start_to_close_timeout=ADAPTER_CALL,
                retry_policy=ADAPTER_RETRY,
            )
        self._record(
            "fee.requested",
            step=step,
            data={"reference": self._fee_reference, "amount": amount, "currency": "VND"},
        )
        self._waiting_for = "citizen: payment"
        reminder = timedelta(hours=step.reminder_after_hours) / scale
        if not await self._wait(lambda: self._paid is not None, reminder):
            await self._reconcile_payment(self._fee_reference)
        if self._paid is None:
            self._record("fee.reminded", step=step, data={"reference": self._fee_reference})
            self._notify("citizen", "payment_reminder", amount=str(amount))
            if not await self._wait(lambda: self._paid is not None, expires - workflow.now()):
                await self._end(
                    "lapsed",
                    "dossier.lapsed",
                    step,
                    reason="fee not paid before expiry",
                    reference=self._fee_reference,
                )
        paid = self._paid
        assert paid is not None
        self._record(
            "fee.paid",
            step=step,
            actor_id="payment-platform",
            data={
                "reference": paid.reference,
                "transaction_id": paid.transaction_id,
                "amount": paid.amount,
            },
        )

    async def _reconcile_payment(self, reference: str) -> None:
        """A confirmation callback can be lost on its way: before reminding the citizen, ask
        the platform whether the fee was paid."""
        if not workflow.patched("payment-reconciliation"):
            return
        try:
            state = await workflow.execute_activity_method(
                PaymentActivities.payment_status,
                reference,
                task_queue=self._agency_queue(self._proc.agency),
                start_to_close_timeout=ADAPTER_CALL,
                retry_policy=ADAPTER_RETRY,
            )
        except ActivityError:
            return  # the platform does not know the request: nothing to reconcile
        if state.payments and self._paid is None:
            paid = state.payments[0]
            self._seen_transactions.add(paid.transaction_id)  # its late callback is a repeat
            self._paid = PaymentEvent(
                reference=paid.reference,
                transaction_id=paid.transaction_id,
                amount=paid.amount,
                paid_at=paid.paid_at,
            )

    async def _review(self, step: ReviewStep | ApprovalStep) -> None:
        while True:
            decision = await self._human_task(
                step, step.role, self._agency_of(step), step.sla, four_eyes=step.four_eyes_with
            )
            if decision.outcome == "approve":
                return
            if decision.outcome == "reject":
                await self._end("rejected", "dossier.rejected", step, reason=decision.comment)
            await self._supplement_cycle(step, decision)
            self._set_status(STEP_STATUS[step.kind])

    async def _consult(self, step: ConsultStep) -> None:
        for branch in step.branches:
            self._record(
                "consultation.sent",
                step=step,
                handed_from=self._proc.agency,
                handed_to=branch.agency,
                data={"branch": branch.id},
            )
        decisions = await asyncio.gather(*(self._consult_branch(step, b) for b in step.branches))
        objections = [
            b.id for b, outcome in zip(step.branches, decisions, strict=True) if outcome == "object"
        ]
        if objections and step.on_objection == "reject":
            await self._end(
                "rejected", "dossier.rejected", step, reason="objection", branches=objections
            )

    async def _consult_branch(self, step: ConsultStep, branch: ConsultBranch) -> str:
        if branch.answered_by == "system":
            return await self._consult_system(step, branch)
        assert branch.role is not None  # the definition guarantees it
        decision = await self._human_task(
            step,
            branch.role,
            branch.agency,
            branch.sla,
            branch=branch.id,
            outcomes=["agree", "object"],
        )
        self._record(
            "consultation.replied",
            step=step,
            outcome=decision.outcome,
            actor_id=decision.actor.id,
            handed_from=branch.agency,
            handed_to=self._proc.agency,
            data={"branch": branch.id},
        )
        return decision.outcome

    async def _consult_system(self, step: ConsultStep, branch: ConsultBranch) -> str:
        """Ask the agency's system through its own worker, then collect the reply there; a
        reply the agency pushes meanwhile (``consultation_replied``) wins over the polling."""
        due = (
            await self._compute_due(workflow.now(), branch.sla, cutoff=False)
            if branch.sla
            else None
        )
        reference = f"{self._code}/{step.id}.{branch.id}"
        if workflow.patched("consultation-push"):
            self._awaited_replies.add(reference)
        queue = self._agency_queue(branch.agency)
        asked = f"{branch.holder}: {branch.id}"
        self._asked_systems.add(asked)
        self._waiting_for = self._describe_open_tasks()
        sending = workflow.start_activity_method(
            ConsultationActivities.send_consultation,
            ConsultationRequest(
                reference=reference,
                dossier_code=self._code,
                from_agency=self._proc.agency,
                to_agency=branch.agency,
                question=branch.question,
                personal_id=self._in.applicant.personal_id,
                reply_by=due.due_at if due else None,
            ),
            task_queue=queue,
            start_to_close_timeout=ADAPTER_CALL,
            retry_policy=ADAPTER_RETRY,
        )
        ticket = await self._unless_pushed(sending, reference)
        if ticket is not None:
            self._record(
                "consultation.delivered",
                step=step,
                handed_to=branch.holder,
                due_at=due.due_at if due else None,
                data={"branch": branch.id, "ticket_id": ticket.ticket_id},
            )
        polled: ConsultationReply | None = None
        if reference not in self._pushed_replies:
            collect = workflow.start_activity_method(
                ConsultationActivities.collect_reply,
                ReplyPoll(
                    reference=reference,
                    max_poll_seconds=max(600 / self._in.options.time_scale, 1.0),
                ),
                task_queue=queue,
                start_to_close_timeout=ADAPTER_CALL,
                retry_policy=ADAPTER_RETRY,
            )
            polled = await self._unless_pushed(collect, reference)
        self._awaited_replies.discard(reference)
        self._asked_systems.discard(asked)
        self._waiting_for = self._describe_open_tasks()
        pushed = self._pushed_replies.get(reference)
        reply = polled if pushed is None else pushed
        assert reply is not None
        self._record(
            "consultation.replied",
            step=step,
            outcome=reply.outcome,
            actor_id=reply.officer or branch.holder,
            timeliness=timeliness_of(workflow.now(), due),
            handed_from=branch.holder,
            handed_to=self._proc.agency,
            data={
                "branch": branch.id,
                "comment": reply.comment,
                **({"via": "push", "service_id": pushed.service_id} if pushed else {}),
            },
        )
        if pushed is not None:
            await self._flush()  # the agency's push returns once the timeline shows its reply
            self._replies_done.add(reference)
        return reply.outcome

    async def _unless_pushed(self, handle: workflow.ActivityHandle[T], reference: str) -> T | None:
        """The activity's result, or None (the activity cancelled) once the agency has pushed
        its reply to ``reference``: the question evidently arrived, and the answer is here."""
        try:
            await self._wait(lambda: handle.done() or reference in self._pushed_replies)
        except Interrupted:
            _abandon(handle)
            raise
        if handle.done():
            return handle.result()
        _abandon(handle)
        return None

    async def _result(self, step: ResultStep) -> None:
        self._decided = True  # withdrawal is no longer possible (Art. 21)
        issued = await workflow.execute_activity(
            issue_result,
            IssueRequest(
                dossier_code=self._code,
                personal_id=self._in.applicant.personal_id,
                result_type=step.result_type,
                result_type_code=step.result_type_code,
            ),
            start_to_close_timeout=ADAPTER_CALL,
            retry_policy=ADAPTER_RETRY,
        )
        self._result_code = issued.result_code
        self._record(
            "result.issued",
            step=step,
            data={
                "result_id": issued.result_id,
                "result_type": step.result_type,
                "document_hash": issued.document_hash,
            },
        )
        for channel in step.delivery:
            no_address = channel == "post" and not self._in.applicant.address
            if no_address and workflow.patched("post-needs-address"):
                continue  # the post is offered, but this applicant gave no address for it
            receipt = await workflow.execute_activity_method(
                ResultActivities.deliver_result,
                DeliveryRequest(
                    result_id=issued.result_id,
                    result_code=issued.result_code,
                    channel=channel,
                    document_hash=issued.document_hash,
                    personal_id=self._in.applicant.personal_id,
                    address=self._in.applicant.address,
                ),
                task_queue=self._agency_queue(self._proc.agency),
                start_to_close_timeout=ADAPTER_CALL,
                retry_policy=ADAPTER_RETRY,
            )
            self._record(
                "result.delivered",
                step=step,
                handed_from=self._proc.agency,
                handed_to="citizen",
                data={
                    "result_id": issued.result_id,
                    "channel": channel,
                    "tracking": receipt.tracking,
                },
            )
        self._timeliness = self._dossier_timeliness()
        self._set_status("completed")
        self._record(
            "dossier.completed", step=step, timeliness=self._timeliness, due_at=self._due_at()
        )
        self._notify("citizen", "result_ready", result_type=step.result_type)

    async def _await_rating(self) -> None:
        window = self._in.options.rating_window / self._in.options.time_scale
        self._waiting_for = "citizen: rating (optional)"
        if window > timedelta(0) and await self._wait(lambda: self._rating is not None, window):
            assert self._rating is not None
            self._set_status("rated")
            self._record(
                "dossier.rated",
                actor_id="citizen",
                outcome="complaint" if self._rating.complaint else "rating",
                data={"score": self._rating.score, "complaint": self._rating.complaint},
            )
        self._waiting_for = None

    # ------------------------------------------------------------------ human tasks

    async def _human_task(
        self,
        step: Step,
        role: str,
        agency: str,
        sla: WorkSpan | None,
        *,
        branch: str | None = None,
        outcomes: list[str] | None = None,
        four_eyes: list[str] | None = None,
    ) -> DecisionInput:
        key = f"{step.id}.{branch}" if branch else step.id
        self._attempts[key] += 1
        task_id = f"{self._code}/{key}-{self._attempts[key]}"  # unique across dossiers
        now = workflow.now()
        due = await self._compute_due(now, sla, cutoff=False) if sla else None
        task = OpenTask(
            task_id=task_id,
            step_id=step.id,
            step_kind=step.kind,
            role=role,
            agency=agency,
            outcomes=outcomes or list(getattr(step, "outcomes", [])),
            created_at=now,
            due_at=due.due_at if due else None,
            branch_id=branch,
            four_eyes_with=four_eyes or [],
        )
        self._record(
            "task.created",
            step=step,
            handed_from=self._holder,
            handed_to=f"{role}@{agency}",
            due_at=task.due_at,
            data={
                "task_id": task_id,
                "role": role,
                "agency": agency,
                "branch_id": branch,
                "outcomes": task.outcomes,
            },
        )
        self._notify("officer", "new_task", recipient=f"{role}@{agency}", task_id=task_id)
        # The snapshot projected with task.created already names the task's holder.
        self._waiting_for = self._describe_open_tasks(also=task)
        await self._flush()
        # Visible to claims only once its creation is in the read model, so projections keep order.
        self._tasks[task_id] = task
        self._waiting_for = self._describe_open_tasks()
        await self._wait(lambda: task_id in self._decisions)
        decision = self._decisions[task_id]
        del self._tasks[task_id]
        decided_at = workflow.now()
        if task.claimed_by is None:
            self._record_claim(task, decision.actor.id, decision.actor.role, decided_at)
        self._record(
            "task.decided",
            step=step,
            actor_id=decision.actor.id,
            actor_role=decision.actor.role,
            outcome=decision.outcome,
            due_at=task.due_at,
            timeliness=timeliness_of(decided_at, due),
            handed_from=f"{role}@{agency}",
            data={
                "task_id": task_id,
                "agency": agency,
                "branch_id": branch,
                "duration_seconds": (decided_at - task.created_at).total_seconds(),
                "missing_documents": decision.missing_documents,
            },
        )
        self._deciders[step.id].add(decision.actor.id)
        self._holder = f"{role}@{agency}"
        await self._flush()  # the officer's update returns once the read model shows the decision
        self._processed.add(task_id)
        self._waiting_for = self._describe_open_tasks()
        return decision

    # ------------------------------------------------------------- supplements, clock

    async def _supplement_cycle(self, step: Step, decision: DecisionInput) -> None:
        """Wait for the complete supplement; the deadline clock stops and restarts from zero."""
        self._supplement_requests += 1
        self._missing = list(decision.missing_documents)
        clock_was_running = self._due is not None
        if clock_was_running:
            self._stop_clock()
            self._record("deadline.stopped", step=step, data={"reason": "supplement"})
        self._record(
            "dossier.supplement_requested",
            step=step,
            actor_id=decision.actor.id,
            actor_role=decision.actor.role,
            handed_to="citizen",
            data={"missing_documents": self._missing, "request_number": self._supplement_requests},
        )
        self._notify("citizen", "supplement_request", documents=", ".join(self._missing))
        self._set_status("awaiting_supplement", waiting_for="citizen: supplement")
        lapse = self._in.options.supplement_lapse / self._in.options.time_scale
        if not await self._wait(lambda: self._supplement is not None, lapse):
            await self._end(
                "lapsed", "dossier.lapsed", step, reason="no complete supplement in time"
            )
        supplement = self._supplement
        assert supplement is not None
        self._supplement, self._missing = None, []
        self._record(
            "dossier.supplement_received",
            step=step,
            actor_id="citizen",
            handed_from="citizen",
            handed_to=self._holder,
            data={"documents": [d.id for d in supplement.documents]},
        )
        if clock_was_running:
            due = await self._compute_due(workflow.now(), self._proc.deadline)
            self._start_clock(due)
            self._record("deadline.set", step=step, due_at=due.due_at, data={"restarted": True})

    def _start_clock(self, due: DueAnswer) -> None:
        # A restart from zero (Art. 19.5) replaces any earlier extended date; the apology itself
        # was the one allowed (Art. 19.6), so no second one is watched for.
        self._due, self._clock_stopped, self._extended_due = due, False, None
        self._upsert_due()
        if not self._apologised:
            self._watcher = asyncio.create_task(self._watch_deadline(due))

    def _stop_clock(self) -> None:
        self._clock_stopped = True
        if self._watcher is not None:
            self._watcher.cancel()
            self._watcher = None

    async def _watch_deadline(self, due: DueAnswer) -> None:
        """At least one working day before a due date the dossier will miss, apologise and set
        one new date (Decree 118/2025 Art. 19.6); only once."""
        try:
            await workflow.wait_condition(
                lambda: self._decided or self._status in TERMINAL_STATUSES,
                timeout=max(due.warn_at - workflow.now(), timedelta(0)),
            )
            return
        except TimeoutError:
            pass
        days = self._proc.deadline.extension_working_days or self._in.options.extension_working_days
        try:
            extension = await self._compute_due(
                due.due_at, WorkSpan(working_days=days), cutoff=False
            )
        except ActivityError:
            return  # cancelled: the clock was stopped for a supplement meanwhile
        if self._decided or self._status in TERMINAL_STATUSES or self._clock_stopped:
            return
        self._extended_due, self._apologised = extension.due_at, True
        self._upsert_due()
        self._record(
            "deadline.extended",
            due_at=extension.due_at,
            handed_to="citizen",
            data={"original_due_at": due.due_at.isoformat(), "apology": True},
        )
        self._notify("citizen", "apology_extension", new_due_at=extension.due_at.isoformat())
        await self._flush()

    def _dossier_timeliness(self) -> Timeliness:
        # Decision 766: more than one request to supplement makes the dossier count as late.
        if self._supplement_requests > 1:
            return "late"
        return timeliness_of(workflow.now(), self._due) or "on_time"

    async def _compute_due(
        self, start: datetime, span: WorkSpan, *, cutoff: bool = True
    ) -> DueAnswer:
        return await workflow.execute_local_activity_method(
            DeadlineActivities.compute_due,
            DueRequest(
                start=start,
                span=span,
                cutoff=cutoff,
                time_scale=self._in.options.time_scale,
                clock_epoch=self._in.options.clock_epoch,
            ),
            start_to_close_timeout=LOCAL,
        )

    # -------------------------------------------------------------------- endings

    async def _end(
        self, status: DossierStatusName, event_type: str, step: Step | None, **data: Any
    ) -> None:
        await self._cancel_open_tasks()
        if status in ("refused", "rejected"):
            await self._refund_if_paid(f"dossier {status}")
        self._timeliness = timeliness_of(workflow.now(), self._due) if self._due else None
        self._set_status(status, waiting_for=None)
        self._record(event_type, step=step, timeliness=self._timeliness, data=data)
        self._notify("citizen", event_type.replace(".", "_"))
        raise Ended

    async def _end_withdrawn(self) -> None:
        await self._cancel_open_tasks()
        await self._refund_if_paid("withdrawn by the applicant")
        self._set_status("withdrawn", waiting_for=None)
        reason = self._withdraw.reason if self._withdraw else None
        self._record("dossier.withdrawn", actor_id="citizen", data={"reason": reason})

    async def _end_applicant_died(self) -> None:
        """Close the dossier as refused: the population database reports the applicant dead
        before the decision; a paid fee is refunded, open tasks are cancelled."""
        death = self._death
        assert death is not None
        day = death.effective_on.isoformat()
        with contextlib.suppress(Ended):
            await self._end(
                "refused",
                "dossier.refused",
                self._step,
                reason=f"the applicant died on {day} (National Population Database)",
                source="population",
                effective_on=day,
                cursor=death.cursor,
            )

    async def _cancel_open_tasks(self) -> None:
        for task in list(self._tasks.values()):
            self._seq_event(
                "task.cancelled",
                step_id=task.step_id,
                step_kind=task.step_kind,
                data={"task_id": task.task_id, "agency": task.agency},
            )
        self._tasks.clear()
        if self._watcher is not None:
            self._watcher.cancel()

    async def _refund_if_paid(self, reason: str) -> None:
        if self._paid is None or self._refunded:
            return
        await self._refund(self._paid, reason)
        self._refunded = True


def _abandon(handle: workflow.ActivityHandle[Any]) -> None:
    """Cancel an activity whose answer is no longer needed; its cancellation is expected, so
    it is not left as an exception nobody retrieved."""
    handle.add_done_callback(lambda done: done.cancelled() or done.exception())
    handle.cancel()
