"""Commands answer with where the dossier went, are refused when they cannot apply, and never
leave a dossier waiting on a handler that cannot finish."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from temporalio.testing import WorkflowEnvironment

from motcua.definitions import Catalog
from motcua.dossier import Actor, ClaimInput, DecisionInput, RatingInput, RunOptions
from motcua.engine import CommandRefused, Dossier
from tests.workflows.harness import Harness, running_worker
from workflows import ProcedureWorkflow

RESIDENCE = "1.004222"


@pytest.fixture
async def skipping(
    skipping_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> AsyncIterator[Harness]:
    # The test server knows no custom search attributes.
    options = RunOptions(rating_window=timedelta(days=30), search_attributes=False)
    async with running_worker(skipping_env, catalog, tmp_path, options=options) as harness:
        yield harness


async def test_rating_a_bundle_member_is_refused_and_nothing_hangs(skipping: Harness) -> None:
    h = skipping
    bundle = await h.submit_bundle("3.000722", "family-rating")
    birth = Dossier(h.client, f"{bundle.id}.birth")
    await h.decide(birth, "receive", "accept")
    await h.decide(birth, "review", "approve", officer="civil-1")
    await h.decide(birth, "approve", "approve", officer="chair-1")
    status = await h.wait_status(birth, "completed")

    # Refused while the member closes (rated with its application) or once it has: never held.
    with pytest.raises(CommandRefused, match=r"interconnected application|closed") as refused:
        await asyncio.wait_for(birth.rate(RatingInput(score=5)), timeout=60)
    assert refused.value.conflict
    member = h.client.get_workflow_handle_for(ProcedureWorkflow.run, birth.workflow_id)
    outcome = await asyncio.wait_for(member.result(), timeout=60)
    assert outcome.status == "completed" and outcome.dossier_code == status.dossier_code
    assert "dossier.rated" not in h.events(status.dossier_code)


async def test_a_decision_answers_with_where_the_dossier_went(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    async with running_worker(dev_env, catalog, tmp_path) as h:
        dossier = await h.submit(RESIDENCE, channel="counter")
        task = await h.task(dossier, "receive")
        desk = Actor(id="desk", role=task.role, agency=task.agency)
        ack = await dossier.decide(
            DecisionInput(task_id=task.task_id, actor=desk, outcome="accept")
        )
        # Accepted at receipt: the answer says where the dossier is now, not "awaiting_receipt".
        assert ack.status == "verifying"


async def test_the_reviewer_cannot_claim_the_approval(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    async with running_worker(dev_env, catalog, tmp_path) as h:
        dossier = await h.submit(RESIDENCE, channel="counter")
        await h.decide(dossier, "receive", "accept")
        await h.pay(dossier)
        await h.decide(dossier, "review", "approve", officer="dung")
        sign = await h.task(dossier, "sign")
        reviewer = Actor(id="dung", role=sign.role, agency=sign.agency)
        with pytest.raises(CommandRefused, match="four-eyes") as refused:
            await dossier.claim(ClaimInput(task_id=sign.task_id, actor=reviewer))
        assert not refused.value.conflict
        # The real signer can still take it.
        chief = Actor(id="chief", role=sign.role, agency=sign.agency)
        claimed = await dossier.claim(ClaimInput(task_id=sign.task_id, actor=chief))
        assert claimed.claimed_by == "chief"
