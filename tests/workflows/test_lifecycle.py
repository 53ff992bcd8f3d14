"""Every path of a dossier's life on the real Temporal dev server, observed as users would:
the live status, the officer's inbox, the event log and the validator's messages."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from temporalio.testing import WorkflowEnvironment

from motcua.definitions import Catalog
from motcua.dossier import (
    Actor,
    ClaimInput,
    DecisionInput,
    RatingInput,
    SubmittedDocument,
    SupplementInput,
    WithdrawInput,
)
from motcua.engine import CommandRefused
from motcua.store import list_tasks
from tests.workflows.harness import running_worker

RESIDENCE = "1.004222"


async def test_accept_pay_approve_result(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    async with running_worker(dev_env, catalog, tmp_path) as h:
        dossier = await h.submit(RESIDENCE, channel="online")
        await h.decide(dossier, "receive", "accept")
        status = await h.wait_status(dossier, "awaiting_payment")
        assert status.fee_amount == 10_000  # online rate, Circular 75/2022/TT-BTC
        assert status.due_at is not None and status.due_at > status.received_at
        await h.pay(dossier)
        await h.decide(dossier, "review", "approve", officer="reviewer-1")
        await h.decide(dossier, "sign", "approve", officer="chief-1")
        status = await h.wait_status(dossier, "completed")

    result_step = catalog.latest(RESIDENCE).step("result")
    type_code = result_step.result_type_code  # type: ignore[union-attr]
    assert status.result_code == f"001203004512{type_code}-{status.dossier_code}"
    assert status.timeliness == "early"
    assert status.paid and not status.refunded
    types = h.events(status.dossier_code)
    assert types[0] == "dossier.submitted"
    for expected in (
        "dossier.accepted",
        "verification.completed",
        "fee.requested",
        "fee.paid",
        "result.issued",
        "result.delivered",
        "dossier.completed",
    ):
        assert expected in types
    seqs = h.sequence_numbers(status.dossier_code)
    assert seqs == list(range(1, len(types) + 1))  # every hand-off once, none lost


async def test_dossier_code_format_and_idempotent_submission(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    async with running_worker(dev_env, catalog, tmp_path) as h:
        first = await h.submit(RESIDENCE, submission_id="portal-42")
        again = await h.submit(RESIDENCE, submission_id="portal-42")
        other = await h.submit(RESIDENCE, submission_id="portal-43")
        s1, s2, s3 = [await h.wait_status(d, "awaiting_receipt") for d in (first, again, other)]
    assert s1.dossier_code == s2.dossier_code
    agency_code = catalog.registry.agency("commune-police").code  # type: ignore[union-attr]
    assert s1.dossier_code.startswith(agency_code + "-")
    assert s1.dossier_code.endswith("-0001") and s3.dossier_code.endswith("-0002")


async def test_inbox_claim_and_four_eyes(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    async with running_worker(dev_env, catalog, tmp_path) as h:
        dossier = await h.submit(RESIDENCE, channel="counter")
        task = await h.task(dossier, "receive")
        with h.sessions() as session:
            inbox = list_tasks(session, agency="commune-police", role="one-stop-officer")
        assert [t.task_id for t in inbox] == [task.task_id]

        alice = Actor(id="alice", role="one-stop-officer", agency="commune-police")
        bob = Actor(id="bob", role="one-stop-officer", agency="commune-police")
        await dossier.claim(ClaimInput(task_id=task.task_id, actor=alice))
        with pytest.raises(CommandRefused, match="claimed by officer alice"):
            await dossier.decide(DecisionInput(task_id=task.task_id, actor=bob, outcome="accept"))
        await dossier.decide(DecisionInput(task_id=task.task_id, actor=alice, outcome="accept"))

        await h.pay(dossier)
        await h.decide(dossier, "review", "approve", officer="dung")
        sign = await h.task(dossier, "sign")
        same = Actor(id="dung", role=sign.role, agency=sign.agency)
        with pytest.raises(CommandRefused, match="four-eyes"):
            await dossier.decide(DecisionInput(task_id=sign.task_id, actor=same, outcome="approve"))
        wrong_role = Actor(id="eve", role="residence-officer", agency=sign.agency)
        with pytest.raises(CommandRefused, match="needs role police-chief"):
            await dossier.decide(
                DecisionInput(task_id=sign.task_id, actor=wrong_role, outcome="approve")
            )
        other_agency = Actor(id="eve", role=sign.role, agency="commune-pc")
        with pytest.raises(CommandRefused, match="belongs to agency commune-police"):
            await dossier.decide(
                DecisionInput(task_id=sign.task_id, actor=other_agency, outcome="approve")
            )
        right = Actor(id="chief", role=sign.role, agency=sign.agency)
        with pytest.raises(CommandRefused, match="not allowed at step sign"):
            await dossier.decide(
                DecisionInput(task_id=sign.task_id, actor=right, outcome="request_supplement")
            )
        await dossier.decide(DecisionInput(task_id=sign.task_id, actor=right, outcome="approve"))
        status = await h.wait_status(dossier, "completed")
        assert status.fee_amount == 20_000  # counter rate


async def test_supplement_requests_are_limited_to_listed_documents(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    async with running_worker(dev_env, catalog, tmp_path) as h:
        dossier = await h.submit(RESIDENCE)
        with pytest.raises(CommandRefused, match=r"not listed by procedure 1\.004222"):
            await h.decide(dossier, "receive", "request_supplement", missing=["passport_photo"])
        with pytest.raises(CommandRefused, match="prohibited"):
            await h.decide(dossier, "receive", "request_supplement", missing=["relationship"])
        await h.decide(dossier, "receive", "request_supplement", missing=["ct01"])
        status = await h.wait_status(dossier, "awaiting_supplement")
        assert status.missing_documents == ["ct01"] and status.due_at is None
        with pytest.raises(CommandRefused, match="still missing: ct01"):
            await dossier.supplement(SupplementInput(documents=[]))
        await dossier.supplement(SupplementInput(documents=[SubmittedDocument(id="ct01")]))
        await h.decide(dossier, "receive", "accept")
        status = await h.wait_status(dossier, "awaiting_payment")
        assert status.supplement_requests == 1
        assert "dossier.supplement_received" in h.events(status.dossier_code)


async def test_review_supplement_stops_and_restarts_the_clock(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    async with running_worker(dev_env, catalog, tmp_path) as h:
        dossier = await h.submit(RESIDENCE)
        await h.decide(dossier, "receive", "accept")
        await h.pay(dossier)
        first_due = (await h.wait_status(dossier, "in_review")).due_at
        await h.decide(dossier, "review", "request_supplement", missing=["ct01"])
        stopped = await h.wait_status(dossier, "awaiting_supplement")
        assert stopped.clock_stopped
        await dossier.supplement(SupplementInput(documents=[SubmittedDocument(id="ct01")]))
        restarted = await h.wait_status(dossier, "in_review")
        assert not restarted.clock_stopped
        assert restarted.due_at is not None and first_due is not None
        assert restarted.due_at >= first_due  # counted again from zero, from the supplement
        status = await h.complete_residence(dossier, from_step="review")
        types = h.events(status.dossier_code)
    assert types.count("deadline.stopped") == 1
    assert "deadline.set" in types


async def test_refusal_at_receipt(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    async with running_worker(dev_env, catalog, tmp_path) as h:
        dossier = await h.submit(RESIDENCE)
        await h.decide(dossier, "receive", "refuse")
        status = await h.wait_status(dossier, "refused")
        with h.sessions() as session:
            assert list_tasks(session, agency="commune-police") == []
    assert h.events(status.dossier_code)[-1] == "dossier.refused"


async def test_rejection_after_review_refunds_the_fee(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    async with running_worker(dev_env, catalog, tmp_path) as h:
        dossier = await h.submit(RESIDENCE)
        await h.decide(dossier, "receive", "accept")
        await h.pay(dossier)
        await h.decide(dossier, "review", "reject")
        status = await h.wait_status(dossier, "rejected")
        fee = f"{h.sims['payment']}/v1/payment-requests/{status.dossier_code}-FEE"
        assert httpx.get(fee).json()["state"] == "refunded"
    assert status.refunded
    assert "fee.refunded" in h.events(status.dossier_code)


async def test_withdrawal_refunds_and_is_refused_after_the_decision(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    async with running_worker(dev_env, catalog, tmp_path) as h:
        dossier = await h.submit(RESIDENCE)
        await h.decide(dossier, "receive", "accept")
        await h.pay(dossier)
        await h.task(dossier, "review")
        ack = await dossier.withdraw(WithdrawInput(comment_id="cmt-moved-abroad"))
        assert ack.status == "withdrawn"
        status = await dossier.status()
        assert status.refunded and status.open_tasks == []

        h.options = h.options.model_copy(update={"rating_window": timedelta(hours=1)})
        decided = await h.submit(RESIDENCE)
        await h.complete_residence(decided)
        with pytest.raises(CommandRefused, match="can no longer be withdrawn"):
            await decided.withdraw(WithdrawInput())

        refused = await h.submit(RESIDENCE)
        await h.decide(refused, "receive", "refuse")
        await h.wait_status(refused, "refused")
        # Once its last notices are sent the dossier's workflow is closed for good.
        await h.client.get_workflow_handle(refused.workflow_id).result()
        with pytest.raises(CommandRefused, match="closed"):
            await refused.withdraw(WithdrawInput())


async def test_duplicate_payment_events(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    async with running_worker(dev_env, catalog, tmp_path) as h:
        dossier = await h.submit(RESIDENCE)
        await h.decide(dossier, "receive", "accept")
        await h.pay(dossier, transaction="TX-1")
        await h.wait_status(dossier, "in_review")
        code = (await dossier.status()).dossier_code
        await h.pay_again(dossier, code, transaction="TX-1")  # the same confirmation replayed
        await h.pay_again(dossier, code, transaction="TX-2")  # the citizen really paid twice
        status = await h.complete_residence(dossier, from_step="review")
        types = h.events(code)
    assert types.count("fee.paid") == 1
    assert types.count("fee.duplicate") == 1
    assert types.count("fee.refunded") == 1  # only the second, distinct payment is returned
    assert not status.refunded


async def test_verification_failure_refuses_with_a_reason(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    async with running_worker(dev_env, catalog, tmp_path) as h:
        unknown = h.applicant(personal_id="001203004000")
        dossier = await h.submit(RESIDENCE, applicant=unknown)
        await h.decide(dossier, "receive", "accept")
        status = await h.wait_status(dossier, "refused")
        types = h.events(status.dossier_code)
    assert "verification.failed" in types


async def test_rating_after_completion(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    async with running_worker(dev_env, catalog, tmp_path) as h:
        h.options = h.options.model_copy(update={"rating_window": timedelta(hours=1)})
        dossier = await h.submit(RESIDENCE)
        with pytest.raises(CommandRefused, match="cannot be rated"):
            await dossier.rate(RatingInput(score=5))
        await h.complete_residence(dossier)
        ack = await dossier.rate(RatingInput(score=4))
        assert ack.status == "rated"
        assert (await dossier.status()).rating == 4
