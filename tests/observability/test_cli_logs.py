"""``motcua`` commands set up the redacting logs themselves: run as a citizen's request would
reach them, in a process of their own, their output holds no personal ID, phone or name."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from temporalio.testing import WorkflowEnvironment

from tests.conftest import ROOT
from tests.ports import reserve_port

PERSONAL_ID = "001203004512"
PHONE = "84912345678"
NAME = "Nguyễn Thị Lan"


@contextmanager
def motcua(args: list[str], env: Mapping[str, str]) -> Iterator[dict[str, str]]:
    """``python -m motcua.cli ARGS`` until the block ends; yields its stdout and stderr once it
    has stopped (the dict is filled in then)."""
    output: dict[str, str] = {}
    process = subprocess.Popen(
        [sys.executable, "-m", "motcua.cli", *args],
        cwd=ROOT,
        env={**os.environ, "MOTCUA_LOG_FORMAT": "json", "MOTCUA_LOG_LEVEL": "INFO", **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        yield output
    finally:
        process.terminate()
        output["stdout"], output["stderr"] = process.communicate(timeout=30)


def until_up(url: str) -> None:
    for _ in range(600):
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError(f"{url} never answered")


def logged(output: dict[str, str]) -> list[dict[str, Any]]:
    lines = (output["stdout"] + output["stderr"]).splitlines()
    return [json.loads(line) for line in lines if line.startswith("{")]


def assert_no_personal_data(output: dict[str, str]) -> None:
    for clear in (PERSONAL_ID, PHONE, NAME):
        assert clear not in output["stdout"] + output["stderr"]


def test_motcua_sim_logs_requests_without_query_strings_or_ids() -> None:
    port = reserve_port()
    with motcua(["sim", "population", "--port", str(port)], {}) as output:
        base = f"http://127.0.0.1:{port}"
        until_up(f"{base}/health")
        httpx.get(f"{base}/v1/citizens/{PERSONAL_ID}", params={"phone": PHONE, "name": NAME})
    requests = [line for line in logged(output) if line["event"] == "http.request"]
    assert f"/v1/citizens/{PERSONAL_ID[:3]}*******{PERSONAL_ID[-2:]}" in {
        line["path"] for line in requests
    }, output
    assert_no_personal_data(output)


def test_motcua_api_logs_through_the_redacting_handler(
    dev_env: WorkflowEnvironment, tmp_path: Path
) -> None:
    port = reserve_port()
    env = {
        "MOTCUA_ENVIRONMENT": "test",
        "MOTCUA_DEV_MODE": "true",
        "MOTCUA_API_PORT": str(port),
        "MOTCUA_DATABASE_URL": f"sqlite:///{tmp_path / 'motcua.db'}",
        "MOTCUA_VAR_DIR": str(tmp_path / "var"),
        "MOTCUA_TEMPORAL_ADDRESS": dev_env.client.service_client.config.target_host,
    }
    with motcua(["api"], env) as output:
        base = f"http://127.0.0.1:{port}"
        until_up(f"{base}/docs")
        query = {"personal_id": PERSONAL_ID, "note": f"call {PHONE}, name: {NAME}"}
        answer = httpx.get(f"{base}/v1/dossiers/{PERSONAL_ID}", params=query)
        assert answer.status_code == 401  # no token: refused, and the request logged
    requests = [line for line in logged(output) if line["event"] == "http.request"]
    assert [(r["method"], r["status"]) for r in requests if "dossiers" in r["path"]] == [
        ("GET", 401)
    ], output
    assert_no_personal_data(output)
