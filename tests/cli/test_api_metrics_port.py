"""``motcua api --metrics-port``: the API's request metrics on a port of their own, as the
workers serve theirs, for a Prometheus inside the deployment's network (no operator token)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import httpx
from temporalio.testing import WorkflowEnvironment

from tests.conftest import ROOT
from tests.observability.test_cli_logs import motcua, until_up
from tests.ports import reserve_port


def _environment(dev_env: WorkflowEnvironment, tmp_path: Path, api_port: int) -> dict[str, str]:
    return {
        "MOTCUA_ENVIRONMENT": "test",
        "MOTCUA_DEV_MODE": "true",
        "MOTCUA_API_PORT": str(api_port),
        "MOTCUA_DATABASE_URL": f"sqlite:///{tmp_path / 'motcua.db'}",
        "MOTCUA_VAR_DIR": str(tmp_path / "var"),
        "MOTCUA_TEMPORAL_ADDRESS": dev_env.client.service_client.config.target_host,
    }


def test_the_metrics_port_counts_the_apis_requests_without_a_token(
    dev_env: WorkflowEnvironment, tmp_path: Path
) -> None:
    api_port, metrics_port = reserve_port(), reserve_port()
    env = _environment(dev_env, tmp_path, api_port)
    with motcua(["api", "--metrics-port", str(metrics_port)], env):
        base = f"http://127.0.0.1:{api_port}"
        until_up(f"{base}/docs")
        assert httpx.get(f"{base}/v1/dossiers/H29-000000-0001").status_code == 401
        on_the_api = httpx.get(f"{base}/metrics")
        scraped = httpx.get(f"http://127.0.0.1:{metrics_port}/metrics")
    assert on_the_api.status_code == 401  # the API's own /metrics wants an operator's token
    assert scraped.status_code == 200
    assert (
        'motcua_http_requests_total{method="GET",route="/v1/dossiers/{code}",status="401"} 1.0'
        in scraped.text
    )


def test_a_metrics_port_in_use_is_one_line_naming_it(
    dev_env: WorkflowEnvironment, tmp_path: Path
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "motcua.cli", "api", "--metrics-port", str(port)],
            cwd=ROOT,
            env={**os.environ, **_environment(dev_env, tmp_path, reserve_port())},
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode != 0
    assert "Traceback" not in done.stderr + done.stdout
    assert f"cannot serve metrics on 127.0.0.1:{port}" in done.stderr + done.stdout
    assert "--metrics-port" in done.stderr + done.stdout
