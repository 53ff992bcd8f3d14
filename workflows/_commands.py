"""What officers, citizens and other systems may ask of a dossier. Validators refuse what the
rules forbid before it enters the history; handlers never wait on something that may not come:
each waits for its effect or for the run's end (``closed``), and says which it got."""

from __future__ import annotations

import contextlib
from datetime import timedelta
from typing import NoReturn

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from motcua.dossier import (
        Ack,
        ClaimInput,
        ConsultationReplyInput,
        DecisionInput,
        DossierRated,
        FeeDuplicate,
        PaymentEvent,
        PopulationChanged,
        PopulationChangeInput,
        RatingInput,
        RuleViolation,
        StateConflict,
        SupplementInput,
        TaskNotOpen,
        TaskReleased,
        TaskView,
        WithdrawInput,
    )
    from motcua.dossier.rules import (
        OpenTask,
        check_actor,
        check_decision,
        check_four_eyes,
        check_supplement,
    )
    from workflows._dossier import Dossier
    from workflows._endings import refund
    from workflows.steps._tasks import record_claim, supplement_token

# How long a command for a task the inbox shows waits for the workflow to hold it: a worker that
# died after projecting the task but before its history was saved is replaced within this.
TASK_ARRIVAL = timedelta(minutes=1)


def refuse(violation: RuleViolation) -> NoReturn:
    """Fail the update (not the workflow task) with the rule's message, kind and code."""
    raise violation


def name(d: Dossier) -> str:
    return d.code or workflow.info().workflow_id


def ack(d: Dossier, message: str) -> Ack:
    return Ack(dossier_code=d.code, status=d.status, message=message)


# -------------------------------------------------------------------------- tasks


def validate_task(d: Dossier, task_id: str) -> OpenTask | None:
    """The open task, or None for one this dossier is about to open (the inbox may show a task
    before the history holds it); raises ``StateConflict`` otherwise."""
    task = d.tasks.get(task_id)
    if task is not None and task_id not in d.decisions:
        return task
    coming = not d.code or task_id.startswith(f"{d.code}/")
    if coming and task_id not in d.decisions and not d.terminal:
        return None
    open_ids = ", ".join(t for t in d.tasks if t not in d.decisions) or "none"
    raise TaskNotOpen(f"no open task {task_id} on dossier {name(d)}; open: {open_ids}")


async def opened(d: Dossier, task_id: str) -> OpenTask:
    """The task once the dossier holds it open; refuses the command if it never does."""
    if task_id not in d.tasks:
        with contextlib.suppress(TimeoutError):
            await workflow.wait_condition(
                lambda: task_id in d.tasks or d.terminal or d.closed, timeout=TASK_ARRIVAL
            )
    try:
        task = validate_task(d, task_id)
    except StateConflict as conflict:
        refuse(conflict)
    if task is None:
        refuse(TaskNotOpen(f"no open task {task_id} on dossier {name(d)}; open: none"))
    return task


def validate_claim(d: Dossier, data: ClaimInput) -> None:
    task = validate_task(d, data.task_id)
    if task is not None:
        check_actor(task, data.actor)
        # The four-eyes rule binds at the claim: a reviewer holding the approval task would
        # block the real signer.
        check_four_eyes(task, data.actor, d.deciders)


async def claim(d: Dossier, data: ClaimInput) -> TaskView:
    task = await opened(d, data.task_id)
    try:
        validate_claim(d, data)
    except RuleViolation as violation:
        refuse(violation)
    if task.claimed_by != data.actor.id:
        record_claim(d, task, data.actor.id, data.actor.role)
        await d.journal.flush()
    return task.view()


def validate_release(d: Dossier, data: ClaimInput) -> None:
    task = validate_task(d, data.task_id)
    if task is not None and task.claimed_by != data.actor.id:
        raise StateConflict(f"task {task.task_id} is not claimed by {data.actor.id}")


async def release(d: Dossier, data: ClaimInput) -> TaskView:
    task = await opened(d, data.task_id)
    try:
        validate_release(d, data)
    except RuleViolation as violation:
        refuse(violation)
    task.claimed_by = task.claimed_at = None
    d.journal.record(
        TaskReleased,
        step_id=task.step_id,
        step_kind=task.step_kind,
        actor_id=data.actor.id,
        actor_role=data.actor.role,
        task_id=task.task_id,
        task_agency=task.agency,
    )
    await d.journal.flush()
    return task.view()


def validate_decide(d: Dossier, data: DecisionInput) -> None:
    task = validate_task(d, data.task_id)
    if task is None:
        return  # checked once the task is open
    check_decision(
        procedure=d.proc,
        task=task,
        decision=data,
        deciders=d.deciders,
        now=workflow.now(),
        supplement_window_closes=d.supplement_window if task.step_kind == "review" else None,
    )


async def decide(d: Dossier, data: DecisionInput) -> Ack:
    await opened(d, data.task_id)
    try:
        validate_decide(d, data)
    except RuleViolation as violation:
        refuse(violation)
    d.decisions[data.task_id] = data
    await workflow.wait_condition(lambda: data.task_id in d.answered or d.closed)
    if data.task_id not in d.answered:
        refuse(TaskNotOpen(f"dossier {name(d)} was closed before task {data.task_id} was decided"))
    return ack(d, f"task {data.task_id} decided: {data.outcome}")


# ------------------------------------------------------------------------ citizens


def validate_supplement(d: Dossier, data: SupplementInput) -> None:
    if d.status != "awaiting_supplement" or d.supplement is not None:
        raise StateConflict(f"dossier {name(d)} is not waiting for a supplement")
    check_supplement(d.journal.view.missing_documents, {doc.id for doc in data.documents})


async def supplement(d: Dossier, data: SupplementInput) -> Ack:
    token = supplement_token(d)
    d.supplement = data
    await workflow.wait_condition(lambda: token in d.answered or d.closed)
    if token not in d.answered:
        refuse(StateConflict(f"dossier {name(d)} was closed before the supplement arrived"))
    return ack(d, "supplement received")


def validate_withdraw(d: Dossier, data: WithdrawInput) -> None:
    if d.decided or d.terminal or d.withdrawal is not None:
        raise StateConflict(
            f"dossier {name(d)} can no longer be withdrawn: it is {d.status} "
            "(withdrawal is allowed until the decision, Decree 118/2025 Art. 21)"
        )


async def withdraw(d: Dossier, data: WithdrawInput) -> Ack:
    d.withdrawal = data
    await workflow.wait_condition(lambda: d.closed or d.decided)
    if d.status != "withdrawn":
        refuse(StateConflict(f"dossier {name(d)} was decided before the withdrawal arrived"))
    return ack(d, "dossier withdrawn")


def validate_rate(d: Dossier, data: RatingInput) -> None:
    if d.status != "completed" or d.rating_closes is None or workflow.now() >= d.rating_closes:
        why = f"it is {d.status}"
        if d.status == "completed" and d.input.bundle_id:
            why = f"it is rated with its interconnected application {d.input.bundle_id}"
        elif d.status == "completed":
            why = "its rating window has closed"
        raise StateConflict(f"dossier {name(d)} cannot be rated now: {why}")


async def rate(d: Dossier, data: RatingInput) -> Ack:
    d.journal.record(
        DossierRated,
        actor_id="citizen",
        outcome="complaint" if data.complaint else "rating",
        score=data.score,
        complaint=data.complaint,
        comment_id=data.comment_id,
    )
    await d.journal.flush()
    return ack(d, "thank you for rating the service")


# ------------------------------------------------------------------- other systems


async def payment_confirmed(d: Dossier, event: PaymentEvent) -> None:
    """Idempotent by transaction; a second, distinct payment of the same fee is refunded, so no
    fee is ever paid twice."""
    if event.reference != d.fee_reference or event.transaction_id in d.seen_transactions:
        workflow.logger.info("payment.ignored", extra={"reference": event.reference})
        return
    d.seen_transactions.add(event.transaction_id)
    if d.paid is None and not d.terminal:
        d.paid = event
        return
    d.journal.record(
        FeeDuplicate,
        actor_id="payment-platform",
        reference=event.reference,
        transaction_id=event.transaction_id,
    )
    await refund(d, event, "duplicate payment")
    await d.journal.flush()


def validate_consultation_replied(d: Dossier, data: ConsultationReplyInput) -> None:
    ref = data.reference
    if ref not in d.awaited_replies or ref in d.pushed_replies or d.terminal:
        raise StateConflict(f"consultation {ref} of dossier {name(d)} is not waiting for a reply")


async def consultation_replied(d: Dossier, data: ConsultationReplyInput) -> Ack:
    d.pushed_replies[data.reference] = data
    await workflow.wait_condition(lambda: data.reference in d.answered or d.closed)
    return ack(d, f"reply to consultation {data.reference} recorded: {data.outcome}")


async def population_changed(d: Dossier, change: PopulationChangeInput) -> None:
    """Recorded once per cursor; a death before the decision closes the dossier (the interpreter
    refuses it at its next wait); any other change is shown to the officers holding it."""
    if (
        not d.code  # not even received yet: nothing to record it against
        or change.personal_id != d.input.applicant.personal_id
        or change.cursor in d.population_cursors
        or d.terminal
    ):
        workflow.logger.info("population.change_ignored", extra={"cursor": change.cursor})
        return
    d.population_cursors.add(change.cursor)
    closes = change.kind == "died" and not d.decided
    d.journal.record(
        PopulationChanged,
        actor_id="population-database",
        outcome=change.kind,
        kind=change.kind,
        effective_on=change.effective_on,
        cursor=change.cursor,
        facts=sorted(change.facts),  # which facts changed, not their values
        closes_dossier=closes,
    )
    if closes:
        d.death = change
    await d.journal.flush()
