"""``motcua audit verify`` on a real run: dossiers on the dev server, their log in SQLite, and an
attacker editing, deleting, inserting and rewriting rows with SQL."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from temporalio.testing import WorkflowEnvironment
from typer.testing import CliRunner

from motcua.audit import check_chain, full_chain
from motcua.cli import app
from motcua.definitions import Catalog
from motcua.engine import FILING_ZONE, Dossier
from motcua.settings import get_settings
from motcua.store import list_events, workflow_rows
from tests.audit import _tamper
from tests.workflows.harness import Harness, running_worker

RESIDENCE = "1.004222"
runner = CliRunner()


@pytest.fixture
def cli_env(
    dev_env: WorkflowEnvironment, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """The CLI pointed at the dev server and the harness's SQLite file."""
    monkeypatch.setenv("MOTCUA_TEMPORAL_ADDRESS", dev_env.client.service_client.config.target_host)
    monkeypatch.setenv("MOTCUA_DATABASE_URL", f"sqlite:///{tmp_path / 'motcua.db'}")
    monkeypatch.delenv("MOTCUA_AUDIT_TSA_URL", raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


async def audit(*args: str) -> tuple[int, list[str]]:
    """Run ``motcua audit ARGS`` as a person would; its exit code and output lines. In a thread:
    the command runs its own event loop while the worker keeps this one."""
    result = await asyncio.to_thread(runner.invoke, app, ["audit", *args], terminal_width=250)
    return result.exit_code, result.stdout.splitlines()  # the logs go to stderr


async def refused_dossier(h: Harness) -> str:
    """A dossier refused at the desk: closed, its whole log projected."""
    dossier = await h.submit(RESIDENCE)
    await h.decide(dossier, "receive", "refuse")
    status = await h.wait_status(dossier, "refused")
    await h.client.get_workflow_handle(dossier.workflow_id).result()
    return status.dossier_code


async def test_an_edited_a_deleted_an_inserted_and_a_rewritten_row_are_each_named(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path, cli_env: None
) -> None:
    async with running_worker(dev_env, catalog, tmp_path) as h:
        edited, deleted, inserted, rewritten = [await refused_dossier(h) for _ in range(4)]
        running = await h.submit(RESIDENCE)
        await h.task(running, "receive")
        open_code = (await running.status()).dossier_code

        code, lines = await audit("verify")
        assert code == 0, lines
        assert lines[-1] == "intact: 5 dossiers, 0 anchors checked"

        _tamper.edit(h.sessions, edited, 2)
        _tamper.delete(h.sessions, deleted, 3)
        forged_seq = _tamper.append(h.sessions, inserted)
        _tamper.rewrite(h.sessions, rewritten, 2)

        code, lines = await audit("verify")
        assert code == 1, lines
        assert lines == [
            f"{edited}: first bad event seq 2: its content does not give its stored hash (edited)",
            f"{deleted}: first bad event seq 3: missing from the log (the next row has seq 4)",
            f"{inserted}: first bad event seq {forged_seq}: "
            "the workflow recorded no such event (inserted)",
            f"{rewritten}: first bad event seq 2: differs from what the workflow recorded",
            "tampered: 5 dossiers, 0 anchors checked",
        ]
        # --since keeps the dossiers active from that day on: all of them today, none tomorrow.
        # Tomorrow where the codes are dated (a code's day is the filing day in Vietnam, which
        # from 17:00 UTC is already tomorrow in UTC terms); --since reads the day in UTC.
        today = datetime.now(UTC).date()
        code, since_today = await audit("verify", "--since", today.isoformat())
        assert (code, since_today) == (1, lines)
        tomorrow = datetime.now(FILING_ZONE).date() + timedelta(days=1)
        code, lines = await audit("verify", "--since", tomorrow.isoformat())
        assert (code, lines) == (0, ["intact: 0 dossiers, 0 anchors checked"])
        # The dossier nobody touched still verifies on its own, while it runs.
        code, lines = await audit("verify", "--dossier", open_code)
        assert (code, lines[-1]) == (0, "intact: 1 dossiers, 0 anchors checked")


async def test_the_workflow_keeps_the_chain_head_in_its_status_and_result(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    async with running_worker(dev_env, catalog, tmp_path) as h:
        dossier = await h.submit(RESIDENCE)
        await h.task(dossier, "receive")
        status = await dossier.status()
        with h.sessions() as session:
            rows = list_events(session, status.dossier_code)
        assert status.chain_seq == rows[-1].seq
        assert status.chain_head == rows[-1].chain_hash
        assert len({row.chain_hash for row in rows}) == len(rows)  # each event its own link

        await h.decide(dossier, "receive", "refuse")
        outcome = await h.client.get_workflow_handle(dossier.workflow_id).result()
        with h.sessions() as session:
            last = list_events(session, status.dossier_code)[-1]
        assert (outcome["chain_seq"], outcome["chain_head"]) == (last.seq, last.chain_hash)


async def test_a_closed_dossier_verifies_from_its_result_when_no_worker_answers(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path, cli_env: None
) -> None:
    async with running_worker(dev_env, catalog, tmp_path) as h:
        intact, edited = await refused_dossier(h), await refused_dossier(h)
        running = await h.submit(RESIDENCE)
        await h.task(running, "receive")
        open_code = (await running.status()).dossier_code
    # The worker is gone: the query times out and the result's head is the truth.
    os.environ["MOTCUA_AUDIT_QUERY_TIMEOUT_SECONDS"] = "1"
    get_settings.cache_clear()
    try:
        code, lines = await audit("verify", "--dossier", intact)
        assert (code, lines[-1]) == (0, "intact: 1 dossiers, 0 anchors checked"), lines
        # A running dossier has no result: nothing can vouch for it without a worker.
        code, lines = await audit("verify", "--dossier", open_code)
        assert code == 2, lines
        assert lines[0].startswith(f"{open_code}: not verified: the workflow does not answer")
        _tamper.rewrite(h.sessions, edited, 2)
        code, lines = await audit("verify", "--dossier", edited)
    finally:
        del os.environ["MOTCUA_AUDIT_QUERY_TIMEOUT_SECONDS"]
    assert code == 1, lines
    assert lines[0].startswith(f"{edited}: first bad event seq 1: chain rewritten")


async def test_each_bundle_member_has_a_chain_of_its_own(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path, cli_env: None
) -> None:
    async with running_worker(dev_env, catalog, tmp_path) as h:
        handle = await h.submit_bundle("3.000722", "family-audit")
        await h.decide(Dossier(h.client, f"{handle.id}.birth"), "receive", "refuse")
        final = await handle.result()
        (birth,) = [m for m in final.members if m.member_id == "birth"]
        assert birth.dossier_code is not None
        with h.sessions() as session:
            rows = list_events(session, birth.dossier_code)
        assert {row.workflow_id for row in rows} == {f"{handle.id}.birth"}
        assert birth.chain_head == rows[-1].chain_hash

        code, lines = await audit("verify")
        assert (code, lines[-1]) == (0, "intact: 1 dossiers, 0 anchors checked"), lines
        _tamper.delete(h.sessions, birth.dossier_code, 2)
        code, lines = await audit("verify")
        assert code == 1 and lines[0].startswith(f"{birth.dossier_code}: first bad event seq 2")


async def test_dossiers_that_went_the_whole_way_verify_after_a_replay(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path, cli_env: None
) -> None:
    """A closed workflow answers its query from a replay, whose instants after a local activity
    may differ from the first run's: the chain still matches the log (the receipts)."""
    async with running_worker(dev_env, catalog, tmp_path) as h:
        workflows = []
        for _ in range(3):
            dossier = await h.submit(RESIDENCE)
            await h.complete_residence(dossier)
            await h.client.get_workflow_handle(dossier.workflow_id).result()
            workflows.append(dossier.workflow_id)
        code, lines = await audit("verify")
        replayed = [
            await full_chain(h.client, wf, timeout=timedelta(seconds=20)) for wf in workflows
        ]
    assert (code, lines) == (0, ["intact: 3 dossiers, 0 anchors checked"]), lines
    for workflow_id, truth in zip(workflows, replayed, strict=True):
        with h.sessions() as session:
            rows = workflow_rows(session, workflow_id).events
        assert truth is not None and truth.source == "workflow"
        assert check_chain(rows[0].dossier_code, rows, truth, workflow_id=workflow_id) is None
