"""Inter-agency consultation: branches in parallel, each answered by an officer of the consulted
agency or by its system (asked and polled through that agency's own worker, or pushing its reply
itself); an objection may reject the dossier."""

from __future__ import annotations

import asyncio
from typing import TypeVar

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.contracts import (
        COLLECT_REPLY,
        SAVE_REPLY_COMMENT,
        SEND_CONSULTATION,
        DueAnswer,
        ReplyComment,
        ReplyPoll,
    )
    from adapters.consultation import ConsultationReply, ConsultationRequest
    from motcua.definitions import ConsultBranch, ConsultStep
    from motcua.dossier import (
        ConsultationDelivered,
        ConsultationReplied,
        ConsultationSent,
        DossierRejected,
    )
    from workflows._calls import abandon, local, start
    from workflows._deadline import timeliness_of
    from workflows._dossier import Dossier, Interrupted
    from workflows._endings import end
    from workflows.steps._tasks import human_task

T = TypeVar("T")


async def consult(d: Dossier, step: ConsultStep) -> None:
    for branch in step.branches:
        d.journal.record(
            ConsultationSent,
            step=step,
            handed_from=d.proc.agency,
            handed_to=branch.agency,
            branch=branch.id,
            system=branch.holder if branch.answered_by == "system" else None,
        )
    outcomes = await asyncio.gather(*(_branch(d, step, b) for b in step.branches))
    objections = [b.id for b, o in zip(step.branches, outcomes, strict=True) if o == "object"]
    if objections and step.on_objection == "reject":
        await end(d, DossierRejected, step, reason_code="objection", branches=objections)


async def _branch(d: Dossier, step: ConsultStep, branch: ConsultBranch) -> str:
    if branch.answered_by == "system":
        return await _ask_system(d, step, branch)
    assert branch.role is not None  # the definition guarantees it
    decision = await human_task(
        d,
        step,
        branch.role,
        branch.agency,
        branch.sla,
        branch=branch.id,
        outcomes=["agree", "object"],
    )
    d.journal.record(
        ConsultationReplied,
        step=step,
        outcome=decision.outcome,
        actor_id=decision.actor.id,
        handed_from=branch.agency,
        handed_to=d.proc.agency,
        branch=branch.id,
        comment_id=decision.comment_id,
    )
    return decision.outcome


async def _ask_system(d: Dossier, step: ConsultStep, branch: ConsultBranch) -> str:
    """Ask the agency's system through its own worker, then collect the reply there; a reply
    the agency pushes meanwhile (the ``consultation_replied`` update) wins over the polling."""
    due = await d.clock.due(workflow.now(), branch.sla, cutoff=False) if branch.sla else None
    reference = f"{d.code}/{step.id}.{branch.id}"
    d.awaited_replies.add(reference)
    queue = d.agency_queue(branch.agency)
    question = ConsultationRequest(
        reference=reference,
        dossier_code=d.code,
        from_agency=d.proc.agency,
        to_agency=branch.agency,
        question=branch.question,
        personal_id=d.input.applicant.personal_id,
        reply_by=due.due_at if due else None,
    )
    ticket = await _unless_pushed(d, start(SEND_CONSULTATION, question, queue=queue), reference)
    if ticket is not None:
        d.journal.record(
            ConsultationDelivered,
            step=step,
            handed_to=branch.holder,
            due_at=due.due_at if due else None,
            branch=branch.id,
            ticket_id=ticket.ticket_id,
        )
    polled: ConsultationReply | None = None
    if reference not in d.pushed_replies:
        poll = ReplyPoll(reference=reference, max_poll_seconds=max(600 / d.clock.scale, 1.0))
        polled = await _unless_pushed(d, start(COLLECT_REPLY, poll, queue=queue), reference)
    d.awaited_replies.discard(reference)
    return await _record_reply(d, step, branch, due, polled)


async def _record_reply(
    d: Dossier,
    step: ConsultStep,
    branch: ConsultBranch,
    due: DueAnswer | None,
    polled: ConsultationReply | None,
) -> str:
    reference = f"{d.code}/{step.id}.{branch.id}"
    pushed = d.pushed_replies.get(reference)
    reply = polled if pushed is None else pushed
    assert reply is not None
    # A pushed reply's text was stored by the API before the update; a polled one's is stored
    # here, so that the event cites it and never holds it.
    comment_id = pushed.comment_id if pushed is not None else None
    if polled is not None and pushed is None and polled.comment:
        text = ReplyComment(
            comment_id=f"{reference}/reply",
            dossier_code=d.code,
            text=polled.comment,
            author_id=polled.officer,
            agency=branch.agency,
        )
        comment_id = await local(SAVE_REPLY_COMMENT, text)
    d.journal.record(
        ConsultationReplied,
        step=step,
        outcome=reply.outcome,
        actor_id=reply.officer or branch.holder,
        timeliness=timeliness_of(workflow.now(), due),
        handed_from=branch.holder,
        handed_to=d.proc.agency,
        branch=branch.id,
        comment_id=comment_id,
        via="push" if pushed else "poll",
        service_id=pushed.service_id if pushed else None,
    )
    if pushed is not None:
        d.picked.add(reference)  # the agency's push is answered once the timeline shows it
    return reply.outcome


async def _unless_pushed(
    d: Dossier, handle: workflow.ActivityHandle[T], reference: str
) -> T | None:
    """The activity's result, or None (the activity cancelled) once the agency has pushed its
    reply to ``reference``: the question evidently arrived, and the answer is here."""
    try:
        await d.wait(lambda: handle.done() or reference in d.pushed_replies)
    except Interrupted:
        abandon(handle)
        raise
    if handle.done():
        return handle.result()
    abandon(handle)
    return None
