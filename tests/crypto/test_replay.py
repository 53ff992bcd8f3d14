"""Replay through the encrypting converter: the histories recorded in clear replay unchanged,
an encrypted history replays with its keys, and without them fails naming the missing key."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Replayer

from motcua.crypto import Keyring, data_converter, new_key
from motcua.definitions import Catalog
from tests.conftest import ROOT, TEST_KEYRING
from tests.workflows.harness import running_worker
from workflows import BundleWorkflow, ProcedureWorkflow

RECORDED = sorted((ROOT / "tests" / "histories").glob("*.json"))


def _replayer(keyring: Keyring) -> Replayer:
    return Replayer(
        workflows=[ProcedureWorkflow, BundleWorkflow], data_converter=data_converter(keyring)
    )


@pytest.mark.parametrize("path", RECORDED, ids=lambda p: p.stem)
async def test_a_history_recorded_in_clear_replays_through_the_codec(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    started = json.loads(text)["events"][0]["workflowExecutionStartedEventAttributes"]
    history = WorkflowHistory.from_json(started.get("workflowId", path.stem), text)
    result = await _replayer(TEST_KEYRING).replay_workflow(history, raise_on_replay_failure=False)
    assert result.replay_failure is None, result.replay_failure


async def test_an_encrypted_history_replays_with_its_keys_only(
    dev_env: WorkflowEnvironment,
    catalog: Catalog,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    async with running_worker(dev_env, catalog, tmp_path) as h:
        dossier = await h.submit("1.004222")
        await h.complete_residence(dossier)
    history = await h.client.get_workflow_handle(dossier.workflow_id).fetch_history()

    rotated = TEST_KEYRING.rotated()  # a later key added: the old payloads still open
    replayed = await _replayer(rotated).replay_workflow(history, raise_on_replay_failure=False)
    assert replayed.replay_failure is None, replayed.replay_failure

    # Without the key the task fails as `UnknownKey`; the worker's log names the key id (the
    # failure sent to Temporal is itself encrypted, so only the type shows there in clear).
    stranger = Keyring((new_key(),))
    caplog.clear()
    with pytest.raises(RuntimeError, match="UnknownKey"):
        await _replayer(stranger).replay_workflow(history)
    assert f"payload encrypted with key {TEST_KEYRING.current.id!r}" in caplog.text
