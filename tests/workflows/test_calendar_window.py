"""A dossier holds the calendar of the years around its receipt; a date past them is computed on
the holidays of its own year, which the worker hands over when the dossier gets there."""

from __future__ import annotations

from datetime import date, datetime, time

from temporalio.testing import WorkflowEnvironment

from motcua.calendar import VIETNAM_TZ, default_calendar, window_spanning, windowed_snapshot_of
from tests.workflows.harness import Harness
from tests.workflows.test_notices import local_activities

RESIDENCE = "1.004222"


async def test_a_task_due_past_the_window_is_dated_on_the_holidays_of_its_year(
    skipping_env: WorkflowEnvironment, h: Harness
) -> None:
    calendar = default_calendar()
    dossier = await h.submit(RESIDENCE)
    await h.decide(dossier, "receive", "accept")
    await h.pay(dossier)
    in_review = await h.wait_status(dossier, "in_review")
    received = in_review.received_at.astimezone(VIETNAM_TZ).date()
    window = window_spanning(received)
    # The review waits until the window's last working day; 1 January of the year after is
    # a holiday (or its substitute day is), which the dossier's snapshot does not hold.
    next_year = date(window[1].year + 1, 1, 1)
    last_day = calendar.previous_working_day(next_year)
    decided_at = datetime.combine(last_day, time(9), tzinfo=VIETNAM_TZ)
    await skipping_env.sleep(decided_at - await skipping_env.get_current_time())
    await h.decide(dossier, "review", "approve", officer="r")
    sign = await h.task(dossier, "sign")
    history = await local_activities(h.client, dossier.workflow_id)

    assert sign.created_at.astimezone(VIETNAM_TZ).date() == last_day
    # The sign step's SLA is one working day: the first working day of the new year.
    assert sign.due_at == calendar.add_working_days(sign.created_at, 1)
    assert sign.due_at.astimezone(VIETNAM_TZ).date() == calendar.next_working_day(last_day)
    held = windowed_snapshot_of(calendar, window).calendar
    assert sign.due_at != held.add_working_days(sign.created_at, 1), "a holiday moved the due"
    # The opening's window, then the one handed over for the new year.
    assert history["motcua.open_dossier"] == 1
    assert history["motcua.working_calendar"] == 1
