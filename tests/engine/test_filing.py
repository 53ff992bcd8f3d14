"""Submission in one call against a real Temporal server: the receipt carries the dossier code
from the workflow itself, the same submission twice is one dossier (running or closed), and a
bundle answers with its members."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from temporalio.client import WorkflowExecutionStatus
from temporalio.service import RPCError, RPCStatusCode
from temporalio.testing import WorkflowEnvironment

from motcua.definitions import Catalog
from motcua.dossier import SubmissionReceipt, WithdrawInput
from motcua.engine import (
    BundleReceipt,
    Dossier,
    MissingDocuments,
    Submission,
    SubmissionPending,
    submit,
)
from motcua.store import get_dossier
from tests.workflows.harness import running_worker

RESIDENCE = "1.004222"
GROUP = "3.000722"


async def test_the_same_submission_twice_is_one_dossier_with_its_code(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    key = uuid.uuid4().hex
    async with running_worker(dev_env, catalog, tmp_path) as h:
        receipt = await h.file(RESIDENCE, submission_id=key)
        assert isinstance(receipt, SubmissionReceipt)
        assert receipt.workflow_id == f"dossier-{key}"
        assert receipt.dossier_code.startswith("000.00.02.H29-")
        with h.sessions() as session:  # the answer means the read model has it
            row = get_dossier(session, receipt.dossier_code)
            assert row is not None and row.workflow_id == receipt.workflow_id

        again = await h.file(RESIDENCE, submission_id=key)
        assert again.dossier_code == receipt.dossier_code
        other = await h.file(RESIDENCE, submission_id=f"{key}-2")
        assert other.dossier_code != receipt.dossier_code


async def test_a_closed_dossier_answers_from_its_final_state(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    key = uuid.uuid4().hex
    async with running_worker(dev_env, catalog, tmp_path) as h:
        receipt = await h.file(RESIDENCE, submission_id=key)
        await Dossier(h.client, receipt.workflow_id).withdraw(WithdrawInput())
        await h.client.get_workflow_handle(receipt.workflow_id).result()

        again = await h.file(RESIDENCE, submission_id=key)
        assert isinstance(again, SubmissionReceipt)
        assert again.dossier_code == receipt.dossier_code
        assert again.workflow_id == receipt.workflow_id and again.status == "withdrawn"
        assert again.received_at == receipt.received_at


async def test_a_submission_not_answered_in_time_is_pending_and_its_code_follows(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    key = uuid.uuid4().hex
    async with running_worker(dev_env, catalog, tmp_path) as h:
        with pytest.raises(SubmissionPending) as pending:
            await h.file(RESIDENCE, submission_id=key, wait=timedelta(0))
        assert pending.value.workflow_id == f"dossier-{key}"
        # It was started all the same: the code comes from that workflow.
        receipt = await h.file(RESIDENCE, submission_id=key)
        assert receipt.workflow_id == f"dossier-{key}" and receipt.dossier_code


async def test_without_a_free_worker_the_submission_is_pending_but_started(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    key = uuid.uuid4().hex
    async with running_worker(dev_env, catalog, tmp_path) as h:
        filed = Submission(
            procedure=RESIDENCE, applicant=h.applicant(), documents=h.documents(RESIDENCE),
            submission_id=key,
        )  # fmt: skip
        with pytest.raises(SubmissionPending):
            await submit(
                h.client,
                catalog,
                filed,
                task_queue=f"no-worker-{key}",  # the update is never answered
                options=h.options,
                wait=timedelta(milliseconds=200),
            )
        handle = h.client.get_workflow_handle(f"dossier-{key}")
        try:
            description = await handle.describe()
            assert description.status == WorkflowExecutionStatus.RUNNING
        finally:
            await handle.terminate("test over")


async def test_a_refused_submission_starts_nothing(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    key = uuid.uuid4().hex
    async with running_worker(dev_env, catalog, tmp_path) as h:
        with pytest.raises(MissingDocuments) as refused:
            await h.file(RESIDENCE, submission_id=key, documents=[])
        assert [d.id for d in refused.value.missing] == ["ct01"]
        with pytest.raises(RPCError) as unknown:
            await h.client.get_workflow_handle(f"dossier-{key}").describe()
        assert unknown.value.status == RPCStatusCode.NOT_FOUND


async def test_a_bundle_answers_with_its_started_members_and_those_to_come(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    key = uuid.uuid4().hex
    async with running_worker(dev_env, catalog, tmp_path) as h:
        receipt = await h.file(GROUP, submission_id=key)
        assert isinstance(receipt, BundleReceipt)
        assert receipt.workflow_id == f"bundle-{key}" and receipt.status == "processing"
        members = {m.member_id: m for m in receipt.members}
        birth = members["birth"].dossier
        assert members["birth"].state == "running" and birth is not None
        assert receipt.dossier_code == birth.dossier_code
        for later in ("residence", "insurance"):
            assert members[later].state == "waiting" and members[later].dossier is None
            assert members[later].workflow_id == f"bundle-{key}.{later}"
        with h.sessions() as session:
            row = get_dossier(session, birth.dossier_code)
            assert row is not None and row.bundle_id == receipt.workflow_id

        again = await h.file(GROUP, submission_id=key)
        assert isinstance(again, BundleReceipt) and again.dossier_code == birth.dossier_code

        await h.decide(Dossier(h.client, birth.workflow_id), "receive", "refuse")
        await h.client.get_workflow_handle(receipt.workflow_id).result()
        closed = await h.file(GROUP, submission_id=key)
        assert isinstance(closed, BundleReceipt) and closed.status == "failed"
        states = {m.member_id: (m.state, m.dossier and m.dossier.status) for m in closed.members}
        assert states == {
            "birth": ("ended", "refused"),
            "residence": ("skipped", None),
            "insurance": ("skipped", None),
        }
        assert closed.dossier_code == birth.dossier_code
