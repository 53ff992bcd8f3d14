"""What every officer's step shares: a task in an inbox until its decision, and the supplement
cycle a decision may start."""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from motcua.definitions import Step, WorkSpan
    from motcua.dossier import (
        DeadlineSet,
        DeadlineStopped,
        DecisionInput,
        DossierLapsed,
        SupplementReceived,
        SupplementRequested,
        TaskClaimed,
        TaskCreated,
        TaskDecided,
    )
    from motcua.dossier.rules import OpenTask
    from workflows._deadline import start_clock, stop_clock, timeliness_of
    from workflows._dossier import Dossier
    from workflows._endings import end


async def human_task(
    d: Dossier,
    step: Step,
    role: str,
    agency: str,
    sla: WorkSpan | None,
    *,
    branch: str | None = None,
    outcomes: list[str] | None = None,
    four_eyes: list[str] | None = None,
) -> DecisionInput:
    """Open a task for ``role`` at ``agency`` and return the decision taken on it."""
    key = f"{step.id}.{branch}" if branch else step.id
    d.attempts[key] += 1
    task_id = f"{d.code}/{key}-{d.attempts[key]}"  # unique across dossiers
    now = workflow.now()
    due = await d.clock.due(now, sla, cutoff=False) if sla else None
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
    d.journal.record(
        TaskCreated,
        step=step,
        at=now,  # the instant its due date counts from
        handed_from=d.holder,
        handed_to=f"{role}@{agency}",
        due_at=task.due_at,
        task_id=task_id,
        task_agency=agency,
        role=role,
        branch_id=branch,
        outcomes=task.outcomes,
    )
    d.notify("officer", "new_task", recipient=f"{role}@{agency}", task_id=task_id)
    d.tasks[task_id] = task
    await d.wait(lambda: task_id in d.decisions)
    decision = d.decisions[task_id]
    del d.tasks[task_id]
    decided_at = workflow.now()
    # Some outcomes have a deadline of their own (a feedback refused within 2 working days):
    # the decision is judged against it. Steps without one issue no extra command.
    outcome_sla: dict[str, WorkSpan] = getattr(step, "outcome_sla", {})
    if outcome_sla.get(decision.outcome, sla) is not sla:
        judged = outcome_sla.get(decision.outcome)
        due = await d.clock.due(task.created_at, judged, cutoff=False) if judged else None
    if task.claimed_by is None:
        record_claim(d, task, decision.actor.id, decision.actor.role)
    d.journal.record(
        TaskDecided,
        step=step,
        actor_id=decision.actor.id,
        actor_role=decision.actor.role,
        outcome=decision.outcome,
        due_at=due.due_at if due else None,
        timeliness=timeliness_of(decided_at, due),
        handed_from=f"{role}@{agency}",
        task_id=task_id,
        task_agency=agency,
        branch_id=branch,
        duration_seconds=(decided_at - task.created_at).total_seconds(),
        missing_documents=decision.missing_documents,
        comment_id=decision.comment_id,
    )
    d.deciders[step.id].add(decision.actor.id)
    d.holder = f"{role}@{agency}"
    d.picked.add(task_id)  # answered at the next settle, with where the dossier went next
    return decision


def record_claim(d: Dossier, task: OpenTask, actor_id: str, role: str) -> None:
    now = workflow.now()
    task.claimed_by, task.claimed_at = actor_id, now
    d.journal.record(
        TaskClaimed,
        step_id=task.step_id,
        step_kind=task.step_kind,
        actor_id=actor_id,
        actor_role=role,
        task_id=task.task_id,
        task_agency=task.agency,
        waited_seconds=(now - task.created_at).total_seconds(),
    )


async def supplement_cycle(d: Dossier, step: Step, decision: DecisionInput) -> None:
    """Wait for the complete supplement; the deadline clock stops and restarts from zero."""
    clock_was_running = d.due is not None
    if clock_was_running:
        stop_clock(d)
        d.journal.record(DeadlineStopped, step=step)
    d.journal.record(
        SupplementRequested,
        step=step,
        actor_id=decision.actor.id,
        actor_role=decision.actor.role,
        handed_to="citizen",
        missing_documents=list(decision.missing_documents),
        request_number=d.journal.view.supplement_requests + 1,
    )
    d.notify("citizen", "supplement_request", documents=", ".join(decision.missing_documents))
    lapse = d.clock.span(d.input.options.supplement_lapse)
    if not await d.wait(lambda: d.supplement is not None, lapse):
        await end(d, DossierLapsed, step, reason_code="no_supplement")
    supplement = d.supplement
    assert supplement is not None
    token = supplement_token(d)
    d.supplement = None
    d.journal.record(
        SupplementReceived,
        step=step,
        actor_id="citizen",
        handed_from="citizen",
        handed_to=d.holder,
        documents=[doc.id for doc in supplement.documents],
    )
    if clock_was_running:
        due = await d.clock.due(workflow.now(), d.proc.deadline)
        start_clock(d, due)
        d.journal.record(DeadlineSet, step=step, due_at=due.due_at, restarted=True)
    d.picked.add(token)


def supplement_token(d: Dossier) -> str:
    """Names the supplement now awaited, so the citizen's command is answered once it is in."""
    return f"supplement-{d.journal.view.supplement_requests}"
