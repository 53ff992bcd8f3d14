"""Citizen feedback (PAKN) on the time-skipping server: each officer decision is judged against
the Decision 766 deadline that applies to it (refuse ≤ 2, ask for more ≤ 5, answer ≤ 15,
publish ≤ 2 working days), and the KPI report counts it so."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from temporalio.testing import WorkflowEnvironment

from motcua.analysis import AgencyKpis, KpiReport, compute_kpis
from motcua.calendar import default_calendar
from motcua.dossier import Actor, DecisionInput, SubmittedDocument, SupplementInput, TaskDecided
from motcua.engine import CommandRefused
from motcua.store import iter_events, list_events
from tests.workflows.harness import Harness

FEEDBACK = "pakn"


async def sleep_working_days(env: WorkflowEnvironment, since: datetime, days: int) -> None:
    """Skip to an hour past ``days`` working days after ``since`` on the working calendar."""
    until = default_calendar().add_working_days(since, days) + timedelta(hours=1)
    await env.sleep(until - await env.get_current_time())


def decisions(h: Harness, code: str) -> dict[str, TaskDecided]:
    with h.sessions() as session:
        return {
            e.step_id or "": e for e in list_events(session, code) if isinstance(e, TaskDecided)
        }


async def _report(env: WorkflowEnvironment, h: Harness) -> KpiReport:
    """The KPI report as of the server's (skipped) time."""
    now = await env.get_current_time()
    with h.sessions() as session:
        events = list(iter_events(session))
    return compute_kpis(events, h.catalog, end=now + timedelta(seconds=1), now=now)


async def feedback_kpis(env: WorkflowEnvironment, h: Harness) -> AgencyKpis:
    """The commune People's Committee's KPIs as of the server's time."""
    return (await _report(env, h)).agency("commune-pc")


def counts(kpis: AgencyKpis, *ids: str) -> list[tuple[int, int]]:
    return [(kpis.get(i).numerator, kpis.get(i).denominator) for i in ids]


async def test_a_refusal_after_three_working_days_is_late(
    skipping_env: WorkflowEnvironment, h: Harness
) -> None:
    dossier = await h.submit(FEEDBACK)
    task = await h.task(dossier, "classify")
    # The officer sees the shortest of the classification's deadlines: refuse within 2.
    assert task.due_at == default_calendar().add_working_days(task.created_at, 2)
    await sleep_working_days(skipping_env, task.created_at, 3)
    await h.decide(dossier, "classify", "refuse")
    status = await h.wait_status(dossier, "refused")

    refused = decisions(h, status.dossier_code)["classify"]
    assert refused.outcome == "refuse" and refused.timeliness == "late"
    assert counts(await feedback_kpis(skipping_env, h), "feedback_refused") == [(0, 1)]


async def test_asked_for_more_in_four_days_answered_in_ten_and_published_on_time(
    skipping_env: WorkflowEnvironment, h: Harness
) -> None:
    dossier = await h.submit(FEEDBACK)
    task = await h.task(dossier, "classify")
    # Four working days: too late to refuse, but in time to ask for more (≤ 5).
    await sleep_working_days(skipping_env, task.created_at, 4)
    await h.decide(dossier, "classify", "request_supplement", missing=["attachment"])
    await h.wait_status(dossier, "awaiting_supplement")
    await dossier.supplement(SupplementInput(documents=[SubmittedDocument(id="attachment")]))
    await h.decide(dossier, "classify", "accept")

    answer = await h.task(dossier, "answer")
    await sleep_working_days(skipping_env, answer.created_at, 10)
    await h.decide(dossier, "answer", "approve", officer="feedback-1")
    publish = await h.task(dossier, "publish")
    await sleep_working_days(skipping_env, publish.created_at, 1)
    await h.decide(dossier, "publish", "approve", officer="chair-1")
    status = await h.wait_status(dossier, "completed")

    decided = decisions(h, status.dossier_code)
    assert decided["answer"].timeliness in ("early", "on_time")  # 10 of 15 working days
    assert decided["publish"].timeliness in ("early", "on_time")  # 1 of 2
    kpis = await feedback_kpis(skipping_env, h)
    assert counts(
        kpis, "feedback_refused", "feedback_asked", "feedback_answered", "feedback_published"
    ) == [(0, 0), (1, 1), (1, 1), (1, 1)]
    # Feedback is not a procedure dossier: the other indicators do not count it.
    assert kpis.dossiers == 0 and kpis.get("on_time").denominator == 0


async def test_forwarded_within_five_days_the_competent_agency_answers(
    skipping_env: WorkflowEnvironment, h: Harness
) -> None:
    dossier = await h.submit(FEEDBACK)
    task = await h.task(dossier, "classify")
    receiver = Actor(id="pakn-pc", role="feedback-officer", agency="commune-pc")

    def forward(to: str | None) -> DecisionInput:
        return DecisionInput(task_id=task.task_id, actor=receiver, outcome="forward", forward_to=to)

    for wrong in (None, "commune-pc", "land-registry"):
        with pytest.raises(CommandRefused) as refused:
            await dossier.decide(forward(wrong))
        assert refused.value.message.startswith("forward_to must name the competent agency")
    await sleep_working_days(skipping_env, task.created_at, 3)
    await dossier.decide(forward("commune-police"))

    # The commune police's feedback officers now hold it, from classification to publication.
    for step in ("classify", "answer", "publish"):
        held = await h.task(dossier, step)
        assert held.agency == "commune-police"
        outcome = "accept" if step == "classify" else "approve"
        await h.decide(dossier, step, outcome, officer=f"police-{step}")
    status = await h.wait_status(dossier, "completed")

    with h.sessions() as session:
        events = list_events(session, status.dossier_code)
    forwarded = next(e for e in events if isinstance(e, TaskDecided) and e.outcome == "forward")
    assert forwarded.timeliness in ("early", "on_time")  # 3 of 5 working days
    report = await _report(skipping_env, h)
    # The answer is the competent agency's, not the receiver's (which has nothing to score).
    assert [a.agency for a in report.agencies] == ["commune-police"]
    assert counts(report.agency("commune-police"), "feedback_answered") == [(1, 1)]
