"""The result (Decree 118/2025 Art. 22): issued electronically with its result code, delivered
by each channel the procedure offers, then the dossier is complete and may be rated."""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.contracts import DELIVER_RESULT, ISSUE_RESULT, IssueRequest
    from adapters.delivery import DeliveryRequest
    from motcua.definitions import ResultStep
    from motcua.dossier import DossierCompleted, ResultDelivered, ResultIssued
    from workflows._calls import start
    from workflows._deadline import dossier_timeliness
    from workflows._dossier import Dossier


async def result(d: Dossier, step: ResultStep) -> None:
    d.decided = True  # withdrawal is no longer possible (Art. 21)
    applicant = d.input.applicant
    request = IssueRequest(
        dossier_code=d.code,
        personal_id=applicant.personal_id,
        result_type=step.result_type,
        result_type_code=step.result_type_code,
    )
    issued = await d.until_done(start(ISSUE_RESULT, request))
    d.journal.record(
        ResultIssued,
        step=step,
        result_id=issued.result_id,
        result_type=step.result_type,
        result_type_code=step.result_type_code,  # the code itself starts with the personal ID
        document_hash=issued.document_hash,
    )
    for channel in step.delivery:
        if channel == "post" and not applicant.address:
            continue  # the post is offered, but this applicant gave no address for it
        delivery = DeliveryRequest(
            result_id=issued.result_id,
            result_code=issued.result_code,
            channel=channel,
            document_hash=issued.document_hash,
            personal_id=applicant.personal_id,
            address=applicant.address,
        )
        receipt = await d.until_done(start(DELIVER_RESULT, delivery, queue=d.home_queue))
        d.journal.record(
            ResultDelivered,
            step=step,
            handed_from=d.proc.agency,
            handed_to="citizen",
            result_id=issued.result_id,
            delivery=channel,
            tracking=receipt.tracking,
        )
    d.journal.record(
        DossierCompleted,
        step=step,
        timeliness=dossier_timeliness(d),
        due_at=d.journal.view.due_at,
    )
    d.notify("citizen", "result_ready", result_type=step.result_type)
