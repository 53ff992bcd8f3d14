"""Putting a new version live on the real Temporal dev server: new dossiers take it, a dossier
already running keeps the version it was filed under, steps and all."""

from __future__ import annotations

import shutil
from pathlib import Path

from temporalio.testing import WorkflowEnvironment

from motcua.definitions import load_catalog
from motcua.store import list_events
from tests.definitions._helpers import birth_versions
from tests.workflows.harness import running_worker

BIRTH = "1.001193"


async def test_a_running_dossier_keeps_its_version_and_a_new_one_takes_the_live_one(
    dev_env: WorkflowEnvironment, tmp_path: Path
) -> None:
    live = tmp_path / "procedure_defs"
    live.mkdir()
    birth_versions(live)  # 1; 2 in force since 2026-01-01 without 'approve'; 3 a draft
    before = tmp_path / "before"
    before.mkdir()
    shutil.copy(live / "registry.yaml", before)
    shutil.copy(live / "birth_v1.yaml", before)
    async with running_worker(dev_env, load_catalog(before), tmp_path) as h:
        old = await h.submit(BIRTH)
        await h.decide(old, "receive", "accept")
        await h.decide(old, "review", "approve")
        await h.task(old, "approve")  # version 1 still asks the chairman

        # Version 2 goes live: the catalog as the API and the CLI load it at their next start.
        h.catalog = load_catalog(live)
        new = await h.submit(BIRTH)
        await h.decide(new, "receive", "accept")
        await h.decide(new, "review", "approve")
        done = await h.wait_status(new, "completed")
        assert done.procedure_version == 2

        await h.decide(old, "approve", "approve", officer="chairman-1")
        kept = await h.wait_status(old, "completed")
        assert kept.procedure_version == 1

    with h.sessions() as session:
        versions = {e.procedure_version for e in list_events(session, done.dossier_code)}
        steps = {e.step_id for e in list_events(session, done.dossier_code)}
        assert versions == {2} and "approve" not in steps
        assert {e.procedure_version for e in list_events(session, kept.dossier_code)} == {1}
