"""ProcedureWorkflow: one dossier, interpreted from the definition pinned at submission.

Lifecycle (Decree 118/2025): code → receipt → verification → fee → review / consultation /
approval → result → rating, with supplements (clock stopped, restarted from zero, 15-day lapse),
the apology and single extension before a late due date, and withdrawal until the decision.
Each step is run by the handler of its kind (``workflows/steps``); every hand-off is a typed
event, projected in batches whenever the dossier waits, so a dossier costs few round trips.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.contracts import OPEN_DOSSIER, CodeRequest
    from motcua.definitions import Step, VerifyStep
    from motcua.dossier import (
        Ack,
        AuditChain,
        ClaimInput,
        ConsultationReplyInput,
        DecisionInput,
        DossierInput,
        DossierOutcome,
        DossierStatus,
        DossierSubmitted,
        PaymentEvent,
        PopulationChangeInput,
        RatingInput,
        StepStarted,
        SubmissionReceipt,
        SupplementInput,
        TaskView,
        WithdrawInput,
    )
    from workflows import _commands as commands
    from workflows._calls import local
    from workflows._dossier import ApplicantDied, Dossier, Ended, Withdrawn
    from workflows._endings import end_applicant_died, end_withdrawn
    from workflows.steps import HANDLERS


def _outside_system(step: Step) -> str | None:
    """What an automated step waits on, as the status shows it."""
    if isinstance(step, VerifyStep):
        return f"{step.adapter} database"
    return "payment platform" if step.kind == "payment" else None


@workflow.defn
class ProcedureWorkflow:
    @workflow.init
    def __init__(self, data: DossierInput) -> None:
        self.d = Dossier(data)

    @workflow.run
    async def run(self, data: DossierInput) -> DossierOutcome:
        d = self.d
        await self._submit()
        try:
            for step in d.proc.steps:
                if d.applies(step.when):
                    d.step = step
                    d.journal.record(StepStarted, step=step, waits_for=_outside_system(step))
                    await HANDLERS[step.kind](d, step)
            await self._await_rating()
        except Withdrawn:
            await end_withdrawn(d)
        except ApplicantDied:
            await end_applicant_died(d)
        except Ended:
            pass
        await d.settle()
        d.closed = True
        await workflow.wait_condition(workflow.all_handlers_finished)
        await d.settle()  # what the last handlers recorded
        await asyncio.gather(*d.journal.resent)
        view = d.journal.view
        return DossierOutcome(
            dossier_code=d.code,
            status=view.status,
            timeliness=view.timeliness,
            result_code=view.result_code_for(d.input.applicant.personal_id),
            chain_seq=d.journal.seq,
            chain_head=d.journal.chain_head,
        )

    async def _submit(self) -> None:
        d, info = self.d, workflow.info()
        opening = await local(
            OPEN_DOSSIER,
            CodeRequest(
                submission_id=d.input.submission_id,
                agency_code=d.input.agency_code,
                received_at=d.journal.view.received_at,
                calendar_received_at=d.clock.calendar_time(d.journal.view.received_at),
                workflow_id=info.workflow_id,
                applicant_id=d.input.applicant.personal_id,
                bundle_id=d.input.bundle_id,
            ),
        )
        d.journal.view.dossier_code = opening.code
        d.clock.adopt(opening.calendar)
        d.journal.record(
            DossierSubmitted,
            channel=d.input.channel,
            handed_from="citizen",
            handed_to=d.proc.agency,
            submission_id=d.input.submission_id,
            bundle_id=d.input.bundle_id,
            about_dossier=d.input.about_dossier,
            comment_id=d.input.comment_id,
            documents=[doc.id for doc in d.input.documents],
            full_process_online=d.proc.full_process_online and d.input.channel == "online",
            **d.clock.facts(),
        )

    async def _await_rating(self) -> None:
        """The citizen may rate the service for a while after the result (optional)."""
        d = self.d
        window = d.clock.span(d.input.options.rating_window)
        d.rating_closes = workflow.now() + window
        if window > timedelta(0):
            await d.wait(lambda: d.status == "rated", window)

    # ------------------------------------------------------------------ the commands

    @workflow.query
    def status(self) -> DossierStatus:
        journal = self.d.journal
        return journal.view.snapshot(applicant_id=self.d.input.applicant.personal_id).model_copy(
            update={"chain_seq": journal.seq, "chain_head": journal.chain_head}
        )

    @workflow.query
    def audit_chain(self) -> AuditChain:
        """Every event's chain hash, for `motcua audit verify` (answers on a closed dossier
        too, while a worker runs)."""
        return self.d.journal.audit_chain()

    @workflow.update
    async def submitted(self) -> SubmissionReceipt:
        """Sent with the start (update-with-start): answers once the dossier has its code and
        its submission is in the read model, so a portal gets the code in one call."""
        d = self.d
        await workflow.wait_condition(lambda: d.journal.projected_seq >= 1)
        return SubmissionReceipt(
            dossier_code=d.code,
            workflow_id=workflow.info().workflow_id,
            status=d.status,
            received_at=d.journal.view.received_at,
        )

    @workflow.update
    async def claim(self, data: ClaimInput) -> TaskView:
        return await commands.claim(self.d, data)

    @claim.validator
    def _validate_claim(self, data: ClaimInput) -> None:
        commands.validate_claim(self.d, data)

    @workflow.update
    async def release(self, data: ClaimInput) -> TaskView:
        return await commands.release(self.d, data)

    @release.validator
    def _validate_release(self, data: ClaimInput) -> None:
        commands.validate_release(self.d, data)

    @workflow.update
    async def decide(self, data: DecisionInput) -> Ack:
        return await commands.decide(self.d, data)

    @decide.validator
    def _validate_decide(self, data: DecisionInput) -> None:
        commands.validate_decide(self.d, data)

    @workflow.update
    async def supplement(self, data: SupplementInput) -> Ack:
        return await commands.supplement(self.d, data)

    @supplement.validator
    def _validate_supplement(self, data: SupplementInput) -> None:
        commands.validate_supplement(self.d, data)

    @workflow.update
    async def withdraw(self, data: WithdrawInput) -> Ack:
        return await commands.withdraw(self.d, data)

    @withdraw.validator
    def _validate_withdraw(self, data: WithdrawInput) -> None:
        commands.validate_withdraw(self.d, data)

    @workflow.update
    async def rate(self, data: RatingInput) -> Ack:
        return await commands.rate(self.d, data)

    @rate.validator
    def _validate_rate(self, data: RatingInput) -> None:
        commands.validate_rate(self.d, data)

    @workflow.update
    async def consultation_replied(self, data: ConsultationReplyInput) -> Ack:
        """A consulted agency's system pushes its reply; an update, not a signal, so that a
        push the branch no longer waits for is refused."""
        return await commands.consultation_replied(self.d, data)

    @consultation_replied.validator
    def _validate_consultation_replied(self, data: ConsultationReplyInput) -> None:
        commands.validate_consultation_replied(self.d, data)

    @workflow.signal
    async def payment_confirmed(self, event: PaymentEvent) -> None:
        """The payment platform's confirmation (a signed callback)."""
        await commands.payment_confirmed(self.d, event)

    @workflow.signal
    async def population_changed(self, change: PopulationChangeInput) -> None:
        """The population database reports a change about the applicant."""
        await commands.population_changed(self.d, change)
