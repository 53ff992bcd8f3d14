"""Decree 63/2024 group 1: birth registration, then permanent residence and the child's health
insurance card in parallel, as child dossiers at their own agencies with one combined status."""

from __future__ import annotations

from pathlib import Path

from temporalio.testing import WorkflowEnvironment

from motcua.definitions import Catalog
from motcua.engine import Dossier
from motcua.store import get_dossier
from tests.workflows.harness import running_worker
from workflows import BundleWorkflow


async def test_group_one_bundle_runs_members_in_order(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    async with running_worker(dev_env, catalog, tmp_path) as h:
        handle = await h.submit_bundle("3.000722", "family-1")
        birth = Dossier(h.client, f"{handle.id}.birth")
        residence = Dossier(h.client, f"{handle.id}.residence")
        insurance = Dossier(h.client, f"{handle.id}.insurance")

        await h.decide(birth, "receive", "accept")
        status = await handle.query(BundleWorkflow.status)
        assert status.status == "processing" and status.due_at is not None
        states = {m.member_id: m.state for m in status.members}
        assert states["residence"] == "waiting" and states["insurance"] == "waiting"

        await h.decide(birth, "review", "approve", officer="civil-1")
        await h.decide(birth, "approve", "approve", officer="chair-1")
        # Residence (commune police) and insurance (social insurance) now run side by side.
        await h.decide(residence, "receive", "accept")
        await h.decide(insurance, "receive", "accept")
        await h.pay(residence)
        for dossier, steps in ((residence, ("review", "sign")), (insurance, ("review", "approve"))):
            for i, step in enumerate(steps):
                await h.decide(dossier, step, "approve", officer=f"officer-{i}")
        final = await handle.result()

    assert final.status == "completed"
    codes = {m.member_id: m.dossier_code for m in final.members}
    agencies = {}
    with h.sessions() as session:
        for member, code in codes.items():
            row = get_dossier(session, code or "")
            assert row is not None and row.bundle_id == handle.id
            agencies[member] = row.agency
    assert agencies == {
        "birth": "commune-pc",
        "residence": "commune-police",
        "insurance": "social-insurance",
    }


async def test_members_after_a_refused_member_are_skipped(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    async with running_worker(dev_env, catalog, tmp_path) as h:
        handle = await h.submit_bundle("3.000722", "family-2")
        await h.decide(Dossier(h.client, f"{handle.id}.birth"), "receive", "refuse")
        final = await handle.result()
    assert final.status == "failed"
    assert {m.member_id: m.state for m in final.members} == {
        "birth": "ended",
        "residence": "skipped",
        "insurance": "skipped",
    }
