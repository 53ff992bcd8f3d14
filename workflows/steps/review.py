"""Review and approval: an officer approves, rejects or asks for a supplement (the reviewer
within 3 working days of receipt, Art. 19.5); the approver may not be the reviewer (four eyes)."""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from motcua.definitions import ApprovalStep, ReviewStep
    from motcua.dossier import DossierRejected
    from workflows._dossier import Dossier
    from workflows._endings import end
    from workflows.steps._tasks import human_task, supplement_cycle


async def review(d: Dossier, step: ReviewStep | ApprovalStep) -> None:
    agency = step.agency or d.competent_agency
    while True:
        decision = await human_task(
            d, step, step.role, agency, step.first_sla, four_eyes=step.four_eyes_with
        )
        if decision.outcome == "approve":
            return
        if decision.outcome == "reject":
            why = decision.comment_id  # the officer's reasons, in the comments table
            await end(d, DossierRejected, step, reason_code="officer_decision", comment_id=why)
        await supplement_cycle(d, step, decision)
