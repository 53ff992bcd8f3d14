"""Replay recorded histories: a workflow change that would break a running dossier fails here.

Histories are recorded by ``python -m tests.workflows.record_histories``; a change to workflow
code goes through ``workflow.patched`` and the patch register (``workflows/_patches.py``), so
that these still replay and every marker is exercised by one of them.
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.worker import Replayer

from tests.conftest import ROOT
from worker import workflow_runner
from workflows import BundleWorkflow, ProcedureWorkflow
from workflows._patches import REGISTER

HISTORIES = ROOT / "tests" / "histories"
RECORDED = sorted(HISTORIES.glob("*.json"))
MARKER = re.compile(r"""workflow\.(?:patched|deprecate_patch)\(\s*["']([^"']+)["']""")


def test_histories_cover_both_workflows() -> None:
    types = {_workflow_type(path) for path in RECORDED}
    assert {"ProcedureWorkflow", "BundleWorkflow"} <= types


@pytest.mark.parametrize("path", RECORDED, ids=lambda p: p.stem)
async def test_history_replays(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    # The recorded id: a bundle's children are named after it.
    started = json.loads(text)["events"][0]["workflowExecutionStartedEventAttributes"]
    history = WorkflowHistory.from_json(started.get("workflowId", path.stem), text)
    # In the sandbox, as in every test: production runs without it (docs/performance.md).
    replayer = Replayer(
        workflows=[ProcedureWorkflow, BundleWorkflow],
        data_converter=pydantic_data_converter,
        workflow_runner=workflow_runner(sandboxed=True),
    )
    result = await replayer.replay_workflow(history, raise_on_replay_failure=False)
    assert result.replay_failure is None, result.replay_failure


def test_every_patch_marker_is_registered_and_exercised() -> None:
    in_code = {
        marker
        for source in (ROOT / "workflows").rglob("*.py")
        for marker in MARKER.findall(source.read_text(encoding="utf-8"))
    }
    registered = {patch.id for patch in REGISTER}
    assert in_code == registered, "every workflow.patched() marker is in workflows/_patches.py"
    for patch in REGISTER:
        history = HISTORIES / patch.history
        assert history.exists(), f"{patch.id}: no recorded history {patch.history}"
        assert patch.id in _recorded_patches(history), f"{patch.history} never records {patch.id}"


def _workflow_type(path: Path) -> str:
    events = json.loads(path.read_text(encoding="utf-8"))["events"]
    return str(events[0]["workflowExecutionStartedEventAttributes"]["workflowType"]["name"])


def _recorded_patches(path: Path) -> set[str]:
    """The patch ids a history's ``core_patch`` markers record."""
    patches = set()
    for event in json.loads(path.read_text(encoding="utf-8"))["events"]:
        marker = event.get("markerRecordedEventAttributes") or {}
        if marker.get("markerName") != "core_patch":
            continue
        for payload in marker["details"]["patch-data"]["payloads"]:
            patches.add(json.loads(base64.b64decode(payload["data"]))["id"])
    return patches
