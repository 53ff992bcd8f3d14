"""Decree 63/2024 group 2: death registration at the commune People's Committee, then removal of
permanent residence (commune police) and the funeral allowance (social insurance) side by side,
as child dossiers with one combined status and one due date for the family."""

from __future__ import annotations

from datetime import UTC, timedelta
from pathlib import Path

from temporalio.testing import WorkflowEnvironment

from motcua.calendar import default_calendar
from motcua.definitions import Catalog
from motcua.engine import Dossier
from motcua.store import get_dossier
from tests.workflows.harness import running_worker
from workflows import BundleWorkflow

GROUP2 = "death-group2"


async def test_group_two_bundle_runs_every_member_to_its_result(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    async with running_worker(dev_env, catalog, tmp_path) as h:
        # The citizen brings only the forms: the death notice, identities, the death certificate
        # and the insurance record come from databases.
        assert h.documents(GROUP2) and {d.id for d in h.documents(GROUP2)} == {
            "declaration",
            "ct01",
            "claim",
        }
        handle = await h.submit_bundle(GROUP2, "family-death-1")
        death = Dossier(h.client, f"{handle.id}.death")
        residence = Dossier(h.client, f"{handle.id}.residence")
        allowance = Dossier(h.client, f"{handle.id}.allowance")

        await h.decide(death, "receive", "accept")
        status = await handle.query(BundleWorkflow.status)
        assert status.status == "processing"
        states = {m.member_id: m.state for m in status.members}
        assert states == {"death": "running", "residence": "waiting", "allowance": "waiting"}
        await h.decide(death, "review", "approve", officer="civil-1")
        await h.decide(death, "approve", "approve", officer="chair-1")

        await h.decide(residence, "receive", "accept")
        await h.decide(allowance, "receive", "accept")
        for dossier, steps in ((residence, ("review", "sign")), (allowance, ("review", "approve"))):
            for i, step in enumerate(steps):
                await h.decide(dossier, step, "approve", officer=f"officer-{i}")
        final = await handle.result()

    assert final.status == "completed"
    assert {m.member_id: m.state for m in final.members} == dict.fromkeys(
        ("death", "residence", "allowance"), "completed"
    )
    # One due date for the group: its configured 8 working days from the application.
    with h.sessions() as session:
        rows = {m.member_id: get_dossier(session, m.dossier_code or "") for m in final.members}
    agencies = {member: row.agency for member, row in rows.items() if row is not None}
    assert agencies == {
        "death": "commune-pc",
        "residence": "commune-police",
        "allowance": "social-insurance",
    }
    assert all(row is not None and row.bundle_id == handle.id for row in rows.values())
    death_row = rows["death"]
    assert death_row is not None and final.due_at is not None
    received = death_row.received_at.replace(tzinfo=UTC)  # SQLite gives UTC back naive
    expected = default_calendar().due(received, catalog.bundle(GROUP2).deadline)
    # The bundle counts from its own start, a moment before its first member's receipt.
    assert abs(final.due_at - expected) < timedelta(minutes=1)
