"""The officer and portal commands against a running dev server, as a person would type them."""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from rich.console import Console
from sqlalchemy import select
from temporalio.testing import WorkflowEnvironment
from typer.testing import CliRunner

from motcua.cli import _dossiers as cli_dossiers
from motcua.cli import _main as cli_main
from motcua.cli import app
from motcua.definitions import Catalog
from motcua.settings import get_settings
from motcua.store import CommentRow, list_events
from tests.conftest import ROOT
from tests.workflows.harness import running_worker

runner = CliRunner()
T = TypeVar("T")


@pytest.fixture
def cli_env(
    dev_env: WorkflowEnvironment, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[dict[str, str]]:
    wide = Console(width=250)
    monkeypatch.setattr(cli_main, "console", wide)
    monkeypatch.setattr(cli_dossiers, "console", wide)
    environ = {
        "MOTCUA_TEMPORAL_ADDRESS": dev_env.client.service_client.config.target_host,
        "MOTCUA_DATABASE_URL": f"sqlite:///{tmp_path / 'motcua.db'}",
        "MOTCUA_PROCEDURES_DIR": str(ROOT / "procedure_defs"),
    }
    for key, value in environ.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    yield environ
    get_settings.cache_clear()


def _invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args), terminal_width=200)
    return result.exit_code, result.output


async def test_submit_work_the_inbox_and_read_the_control_sheet(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path, cli_env: dict[str, str]
) -> None:
    submission = tmp_path / "dossier.json"
    submission.write_text(
        json.dumps(
            {
                "procedure": "1.004222",
                "channel": "online",
                "submission_id": "cli-1",
                "applicant": {"personal_id": "001090012345", "full_name": "Nguyễn Văn An"},
                "documents": [{"id": "ct01"}],
            }
        )
    )
    async with running_worker(dev_env, catalog, tmp_path) as h:
        os.environ["MOTCUA_TASK_QUEUE"] = h.task_queue
        os.environ["MOTCUA_AGENCY_QUEUE_PREFIX"] = h.options.agency_queue_prefix
        get_settings.cache_clear()
        code, out = await _in_thread(_invoke, "submit", str(submission))
        assert code == 0, out
        dossier_code = re.search(r"dossier (\S+) submitted", out).group(1)  # type: ignore[union-attr]

        code, out = await _in_thread(_invoke, "tasks", "--agency", "commune-police")
        assert code == 0 and "receive-1" in out, out
        task_id = f"{dossier_code}/receive-1"

        officer = ["--officer", "lan", "--role", "one-stop-officer", "--agency", "commune-police"]
        code, out = await _in_thread(
            _invoke, "decide", task_id, "request_supplement", "--missing", "relationship", *officer
        )
        assert code == 1 and "prohibited" in out  # the population database provides it

        note = ["--comment", "checked at the desk"]
        code, out = await _in_thread(_invoke, "decide", task_id, "accept", *officer, *note)
        assert code == 0 and "decided: accept" in out, out

        for _ in range(50):  # the log is a projection: the next batch may still be in flight
            code, out = await _in_thread(_invoke, "status", dossier_code)
            assert code == 0, out
            if "dossier.accepted" in out:
                break
            await asyncio.sleep(0.1)
        assert "dossier.submitted" in out and "dossier.accepted" in out and "task.decided" in out
        # The decision record: the officer's words in the comments table, cited by the event.
        with h.sessions() as session:
            decided = [e for e in list_events(session, dossier_code) if e.type == "task.decided"]
            records = {c.comment_id: c for c in session.scalars(select(CommentRow))}
        record = records[decided[-1].data["comment_id"]]
        assert (record.text, record.author_id) == ("checked at the desk", "lan")
        assert "checked at the desk" not in decided[-1].model_dump_json()
        os.environ.pop("MOTCUA_TASK_QUEUE")
        os.environ.pop("MOTCUA_AGENCY_QUEUE_PREFIX")


def test_submit_reports_a_malformed_file(tmp_path: Path, cli_env: dict[str, str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"procedure": "1.004222", "applicant": {"personal_id": "12"}}))
    code, out = _invoke("submit", str(bad))
    assert code == 1
    assert "applicant.personal_id" in out and "applicant.full_name" in out


def test_submit_refuses_a_dossier_without_its_required_documents(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    bare = tmp_path / "bare.json"
    applicant = {"personal_id": "001090012345", "full_name": "Nguyễn Văn An"}
    bare.write_text(
        json.dumps(
            {
                "procedure": "1.001612",
                "applicant": applicant,
                "form": {"members_count": 2},
                "documents": [{"id": "registration_form"}],
            }
        )
    )
    code, out = _invoke("submit", str(bare))
    assert code == 1
    assert "required documents are missing: members_minutes" in out and "1.001612" in out


def test_status_of_an_unknown_dossier(cli_env: dict[str, str]) -> None:
    code, out = _invoke("status", "000.00.01.H29-260101-9999")
    assert code == 1 and "no dossier 000.00.01.H29-260101-9999" in out


async def _in_thread(fn: Callable[..., T], *args: str) -> T:
    # The commands run their own event loop; keep them off the test's loop.
    return await asyncio.to_thread(fn, *args)


def test_up_without_api_keys_or_dev_mode_says_which_to_set(tmp_path: Path) -> None:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("MOTCUA_")}
    environ |= {"MOTCUA_VAR_DIR": str(tmp_path / "var"), "MOTCUA_DEV_MODE": "false"}
    done = subprocess.run(
        [sys.executable, "-m", "motcua.cli", "up", "--no-wait"],
        cwd=ROOT, env=environ, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode != 0
    assert "MOTCUA_JWT_SECRET is not set" in done.stdout + done.stderr
    assert not (tmp_path / "var" / "temporal.db").exists()  # nothing was started
