"""``motcua up``'s check of the dossiers open in ``var/``: one recorded by an earlier,
incompatible engine is named; one this engine filed is continued without a word; a server that
does not answer is one line, and the check goes on no further."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import pytest
from temporalio.testing import WorkflowEnvironment

from motcua.definitions import Catalog
from motcua.settings import get_settings
from motcua.stack import _old_dossiers
from motcua.stack._old_dossiers import (
    Findings,
    Unchecked,
    check_open_dossiers,
    find_stuck,
    report,
)
from tests.ports import reserve_port
from tests.stack.earlier_engine import file_with_earlier_engine
from tests.workflows.harness import running_worker


async def _check(env: WorkflowEnvironment, task_queue: str) -> Findings:
    deadline = time.monotonic() + 30
    return await find_stuck(env.client, task_queue=task_queue, sandboxed=True, deadline=deadline)


async def test_a_dossier_this_engine_filed_can_be_continued_and_nothing_is_said(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    async with running_worker(dev_env, catalog, tmp_path) as h:
        await h.submit("1.004222")  # it waits for an officer
        h.started.clear()  # left open, as a stopped `make run` leaves its dossiers

    findings = await _check(dev_env, h.task_queue)

    assert findings == Findings(open=1, checked=1, stuck=())
    assert report(findings, Path("var"), starting_anyway=False) == []


async def test_a_dossier_an_earlier_engine_recorded_is_named(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    queue = f"test-{uuid.uuid4().hex}"
    earlier = await file_with_earlier_engine(dev_env.client, catalog, task_queue=queue)
    async with running_worker(dev_env, catalog, tmp_path, task_queue=queue) as h:
        current = await h.submit("1.004222")
        h.started.clear()

    findings = await _check(dev_env, queue)

    assert (findings.open, findings.checked) == (2, 2)
    assert [stuck.workflow_id for stuck in findings.stuck] == [earlier]
    assert current.workflow_id != earlier
    [said, advice] = report(findings, Path("var"), starting_anyway=False)
    assert said.startswith(
        "error: var/ holds 2 open dossiers; 1 of 2 checked was recorded by an engine this "
        f"version cannot continue (first: {earlier}: nondeterminism:"
    ), said
    assert "mv var var.old" in advice and "--allow-stuck-dossiers" in advice


def test_a_server_that_does_not_answer_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_old_dossiers, "CONNECT_SECONDS", 1.0)
    nobody = f"127.0.0.1:{reserve_port()}"  # reserved, and no one listens there
    settings = get_settings().model_copy(update={"temporal_address": nobody})

    started = time.monotonic()
    outcome = check_open_dossiers(settings)

    assert isinstance(outcome, Unchecked)
    assert "\n" not in outcome.reason and outcome.reason, outcome
    assert time.monotonic() - started < 10
