"""Facts from outside the dossier's steps: a consulted agency pushing its reply instead of being
polled, and the population database reporting a change about the applicant."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Literal

import httpx
import pytest
from temporalio.testing import WorkflowEnvironment

from motcua.definitions import Catalog
from motcua.dossier import ConsultationReplyInput, PopulationChangeInput
from motcua.engine import CommandRefused, Dossier
from motcua.store import list_events
from tests.workflows.harness import APPLICANT, Harness, running_worker

JUDICIAL_RECORD = "2.000488"
RESIDENCE = "1.004222"
MANUAL_COURT = {"agency": {"auto_reply": False}}  # the court answers only when told to


async def eventually(check: Callable[[], bool], timeout: float = 20) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not check():
        assert asyncio.get_running_loop().time() < deadline, f"never true: {check}"
        await asyncio.sleep(0.05)


def push(reference: str, outcome: Literal["agree", "object"] = "agree") -> ConsultationReplyInput:
    return ConsultationReplyInput(
        reference=reference,
        outcome=outcome,
        comment_id="cmt-pushed",
        officer="clerk",
        replied_at=datetime.now(UTC),
        service_id="court-records",
    )


async def consulting(h: Harness) -> tuple[Dossier, str]:
    """A judicial record dossier whose question has reached the court's system."""
    dossier = await h.submit(JUDICIAL_RECORD)
    await h.decide(dossier, "receive", "accept")
    await h.pay(dossier)
    code = (await h.wait_status(dossier, "in_consultation")).dossier_code
    await eventually(lambda: "consultation.delivered" in h.events(code))
    return dossier, code


def court_replies(h: Harness, code: str) -> list[dict[str, object]]:
    with h.sessions() as session:
        return [
            {"outcome": e.outcome, **e.data}
            for e in list_events(session, code)
            if e.type == "consultation.replied" and e.data["branch"] == "court_records"
        ]


async def test_a_pushed_reply_wins_over_the_polling_and_a_later_answer_is_ignored(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    async with running_worker(dev_env, catalog, tmp_path, sim_options=MANUAL_COURT) as h:
        dossier, code = await consulting(h)
        reference = f"{code}/checks.court_records"
        ack = await dossier.consultation_replied(push(reference, "object"))
        assert "recorded" in ack.message
        assert court_replies(h, code) == [
            {
                "outcome": "object",
                "branch": "court_records",
                "comment_id": "cmt-pushed",
                "via": "push",
                "service_id": "court-records",
            }
        ]
        # The court's own desk answers afterwards: the polling was cancelled, nothing changes.
        httpx.post(
            f"{h.sims['agency']}/_sim/consultations/{reference}/reply", json={"outcome": "agree"}
        ).raise_for_status()
        await h.decide(dossier, "checks", "agree", officer="commune-police-officer")
        await h.decide(dossier, "review", "approve", officer="records")
        await h.decide(dossier, "sign", "approve", officer="director")
        await h.wait_status(dossier, "completed")
    assert len(court_replies(h, code)) == 1


async def test_a_push_after_the_polled_reply_is_refused(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    async with running_worker(dev_env, catalog, tmp_path, sim_options=MANUAL_COURT) as h:
        dossier, code = await consulting(h)
        reference = f"{code}/checks.court_records"
        httpx.post(
            f"{h.sims['agency']}/_sim/consultations/{reference}/reply", json={"outcome": "agree"}
        ).raise_for_status()
        await h.wait_status(dossier, "in_consultation")
        deadline = asyncio.get_running_loop().time() + 30
        while (await dossier.status()).waiting_for != "officer: residence-officer@commune-police":
            assert asyncio.get_running_loop().time() < deadline, "the polled reply never came"
            await asyncio.sleep(0.1)
        with pytest.raises(CommandRefused, match="not waiting for a reply") as refused:
            await dossier.consultation_replied(push(reference, "object"))
        assert refused.value.conflict
        await h.decide(dossier, "checks", "agree", officer="commune-police-officer")
        await h.task(dossier, "review")
    assert court_replies(h, code)[0]["outcome"] == "agree"
    assert court_replies(h, code)[0]["via"] == "poll"


def died(cursor: int, personal_id: str = APPLICANT.personal_id) -> PopulationChangeInput:
    return PopulationChangeInput(
        cursor=cursor, personal_id=personal_id, kind="died", effective_on=date(2026, 1, 12)
    )


async def test_a_death_before_receipt_refuses_once_and_others_are_ignored(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    async with running_worker(dev_env, catalog, tmp_path) as h:
        dossier = await h.submit(RESIDENCE)
        await h.task(dossier, "receive")
        code = (await dossier.status()).dossier_code
        await dossier.population_changed(died(5, personal_id="079190000123"))  # someone else
        await dossier.population_changed(died(7))
        await dossier.population_changed(died(7))  # the feed delivered it twice
        status = await h.wait_status(dossier, "refused")
        await eventually(lambda: h.events(code)[-1] == "dossier.refused")
        with h.sessions() as session:
            timeline = list_events(session, code)
    assert not status.paid and not status.refunded and not status.open_tasks
    types = [e.type for e in timeline]
    assert types.count("population.changed") == 1
    assert types[-3:] == ["population.changed", "task.cancelled", "dossier.refused"]
    assert timeline[-1].data["reason_code"] == "applicant_died"
    assert timeline[-1].data["effective_on"] == "2026-01-12"
