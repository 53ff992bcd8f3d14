"""Receipt and completeness check (Decree 118/2025 Art. 15-16): accept, ask once for the missing
documents, or refuse; acceptance starts the deadline clock."""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from motcua.definitions import ReceiptStep, WorkSpan
    from motcua.dossier import DossierAccepted, DossierRefused
    from workflows._deadline import start_clock
    from workflows._dossier import Dossier
    from workflows._endings import end
    from workflows.steps._tasks import human_task, supplement_cycle


async def receipt(d: Dossier, step: ReceiptStep) -> None:
    while True:
        decision = await human_task(
            d, step, step.role, step.agency or d.competent_agency, step.first_sla
        )
        if decision.outcome == "accept":
            break
        if decision.outcome == "forward":  # not within its authority: the competent one decides
            d.forwarded_to = decision.forward_to
            continue
        if decision.outcome == "refuse":
            why = decision.comment_id  # the officer's reasons, in the comments table
            await end(d, DossierRefused, step, reason_code="officer_decision", comment_id=why)
        await supplement_cycle(d, step, decision)
    accepted_at = workflow.now()
    window = WorkSpan(working_days=d.input.options.supplement_window_working_days)
    due = await d.clock.due(accepted_at, d.proc.deadline)
    closes = await d.clock.due(accepted_at, window, cutoff=False)
    d.supplement_window = closes.due_at
    start_clock(d, due)
    d.journal.record(
        DossierAccepted,
        step=step,
        due_at=due.due_at,
        channel=d.input.channel,
        supplement_window_closes=d.supplement_window,
    )
    d.notify("citizen", "receipt_slip", due_at=due.due_at.isoformat())
