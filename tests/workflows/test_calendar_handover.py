"""A dossier computes its due dates on the calendar of the worker that runs it: one restarted
with a new calendar file (days off announced meanwhile) dates what comes next on the new
calendar, keeps the dates given before, and its history still replays."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta
from pathlib import Path

from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Replayer

from activities.contracts import DueRequest
from motcua.calendar import WorkCalendar, default_calendar
from motcua.definitions import Catalog, ReceiptStep, WorkSpan
from motcua.dossier import DossierAccepted, TaskCreated
from motcua.store import list_events
from tests.workflows.harness import running_worker
from worker import workflow_runner
from workflows import BundleWorkflow, ProcedureWorkflow


def with_days_off(calendar: WorkCalendar, first: date, days: int) -> WorkCalendar:
    off = {first + timedelta(days=n) for n in range(days)}
    return dataclasses.replace(
        calendar,
        extra_days_off=calendar.extra_days_off | off,
        extra_working_days=calendar.extra_working_days - off,
    )


def due(calendar: WorkCalendar, start: datetime, span: WorkSpan, *, cutoff: bool) -> datetime:
    return DueRequest(start=start, span=span, cutoff=cutoff).answer(calendar).due_at


async def test_a_worker_with_a_new_calendar_dates_what_comes_next_on_it(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    old = default_calendar()
    new = with_days_off(old, date.today() - timedelta(days=1), 30)
    procedure = catalog.latest("1.004222")
    receive = procedure.step("receive")
    assert isinstance(receive, ReceiptStep) and receive.first_sla is not None
    async with running_worker(dev_env, catalog, tmp_path, calendar=old) as h:
        dossier = await h.submit("1.004222")
        task = await h.task(dossier, "receive")
        h.started.remove(dossier.workflow_id)  # left open for the next worker
    assert task.due_at == due(old, task.created_at, receive.first_sla, cutoff=False)

    # The worker restarts with the new calendar, on the same task queue and read model.
    async with running_worker(
        dev_env, catalog, tmp_path, calendar=new, task_queue=h.task_queue
    ) as h2:
        h2.started.append(dossier.workflow_id)
        await h2.decide(dossier, "receive", "accept")
        status = await h2.wait_status(dossier, "awaiting_payment")
        with h2.sessions() as session:
            events = list_events(session, status.dossier_code)
        history = await h2.client.get_workflow_handle(dossier.workflow_id).fetch_history()
    accepted = next(e for e in events if isinstance(e, DossierAccepted))
    assert accepted.due_at == due(new, accepted.occurred_at, procedure.deadline, cutoff=True)
    assert accepted.due_at != due(old, accepted.occurred_at, procedure.deadline, cutoff=True)
    assert status.due_at == accepted.due_at
    # The receipt task keeps, in the log, the date the old calendar gave it.
    created = next(e for e in events if isinstance(e, TaskCreated) and e.step_id == "receive")
    assert created.due_at == task.due_at

    replayer = Replayer(
        workflows=[ProcedureWorkflow, BundleWorkflow],
        data_converter=dev_env.client.data_converter,  # the history's payloads are encrypted
        workflow_runner=workflow_runner(sandboxed=True),
    )
    result = await replayer.replay_workflow(history, raise_on_replay_failure=False)
    assert result.replay_failure is None, result.replay_failure
