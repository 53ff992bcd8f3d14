"""Rules counted in days, on the time-skipping test server: the 15-day supplement lapse, the
apology with a single extension before a late due date, and the payment reminder and lapse."""

from __future__ import annotations

from datetime import timedelta

import httpx
from temporalio.testing import WorkflowEnvironment

from motcua.calendar import default_calendar
from tests.workflows.harness import Harness

RESIDENCE = "1.004222"


async def test_supplement_lapses_after_15_days(
    skipping_env: WorkflowEnvironment, h: Harness
) -> None:
    dossier = await h.submit(RESIDENCE)
    await h.decide(dossier, "receive", "accept")
    await h.pay(dossier)
    await h.decide(dossier, "review", "request_supplement", missing=["ct01"])
    await h.wait_status(dossier, "awaiting_supplement")

    await skipping_env.sleep(timedelta(days=14))
    assert (await dossier.status()).status == "awaiting_supplement"
    await skipping_env.sleep(timedelta(days=1, hours=1))
    status = await h.wait_status(dossier, "lapsed")
    assert h.events(status.dossier_code)[-1] == "dossier.lapsed"
    assert not status.refunded  # a lapsed dossier is closed, not refused: the fee stays paid


async def test_apology_and_single_extension_before_a_late_due_date(
    skipping_env: WorkflowEnvironment, h: Harness
) -> None:
    dossier = await h.submit(RESIDENCE)
    await h.decide(dossier, "receive", "accept")
    await h.pay(dossier)
    accepted = await h.wait_status(dossier, "in_review")
    assert accepted.due_at is not None
    # 7 working days span at least 9 calendar days; stop short of the due date itself.
    await skipping_env.sleep(accepted.due_at - accepted.received_at - timedelta(hours=3))
    status = await dossier.status()
    assert status.extended
    assert status.original_due_at == accepted.due_at
    # One new date: the engine's default extension, as 1.004222 sets none of its own.
    assert status.due_at == default_calendar().add_working_days(accepted.due_at, 2)

    await skipping_env.sleep(timedelta(days=3))  # past the original due date, still in review
    await h.decide(dossier, "review", "approve", officer="r")
    await h.decide(dossier, "sign", "approve", officer="c")
    finished = await h.wait_status(dossier, "completed")
    types = h.events(finished.dossier_code)
    assert types.count("deadline.extended") == 1  # a new date may be set once (Art. 19.6)
    assert finished.timeliness == "late"
    apologies = httpx.get(
        f"{h.sims['notify']}/_sim/messages",
        params={"recipient": finished.dossier_code, "template": "apology_extension"},
    ).json()
    assert len(apologies) == 1


async def test_no_apology_for_a_dossier_decided_in_time(
    skipping_env: WorkflowEnvironment, h: Harness
) -> None:
    dossier = await h.submit(RESIDENCE)
    status = await h.complete_residence(dossier)
    await skipping_env.sleep(timedelta(days=20))
    assert "deadline.extended" not in h.events(status.dossier_code)
    assert status.timeliness == "early"


async def test_payment_reminder_then_lapse(skipping_env: WorkflowEnvironment, h: Harness) -> None:
    dossier = await h.submit(RESIDENCE)
    await h.decide(dossier, "receive", "accept")
    status = await h.wait_status(dossier, "awaiting_payment")
    step = h.catalog.latest(RESIDENCE).step("fee")
    await skipping_env.sleep(timedelta(hours=step.reminder_after_hours + 1))  # type: ignore[union-attr]
    assert "fee.reminded" in h.events(status.dossier_code)
    assert (await dossier.status()).status == "awaiting_payment"
    await skipping_env.sleep(timedelta(hours=step.expires_after_hours))  # type: ignore[union-attr]
    status = await h.wait_status(dossier, "lapsed")
    assert h.events(status.dossier_code)[-1] == "dossier.lapsed"
