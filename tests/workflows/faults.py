"""Crashes and outages on purpose: a worker in a process of its own (to be killed), simulators
that misbehave for a while, and how often an activity has been tried."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from motcua.settings import DEV_EVIDENCE_PEPPER
from tests.conftest import ROOT
from tests.workflows.handle import Harness


def start_worker_process(
    env: WorkflowEnvironment,
    task_queue: str,
    db_url: str,
    log: Path,
    *,
    script: Path | None = None,
    extra_env: Mapping[str, str] | None = None,
) -> subprocess.Popen[bytes]:
    """``worker.py`` (or ``script``) in a process of its own, to be killed as a crash would;
    its adapters are read from ``adapters.yaml`` beside ``log``."""
    config = env.client.service_client.config
    environ = {
        **os.environ,
        "MOTCUA_TEMPORAL_ADDRESS": config.target_host,
        "MOTCUA_TASK_QUEUE": task_queue,
        "MOTCUA_AGENCY_QUEUE_PREFIX": f"{task_queue}.agency.",
        "MOTCUA_ADAPTERS_FILE": str(log.parent / "adapters.yaml"),
        "MOTCUA_DATABASE_URL": db_url,
        "MOTCUA_EVIDENCE_PEPPER": DEV_EVIDENCE_PEPPER,
        "MOTCUA_METRICS_PORT": "0",
        "MOTCUA_RATING_WINDOW_DAYS": "0",
        "MOTCUA_LOG_FORMAT": "json",
        "MOTCUA_WORKFLOW_SANDBOX": "true",
        **(extra_env or {}),
    }
    return subprocess.Popen(
        [sys.executable, str(script or ROOT / "worker.py")],
        cwd=ROOT,
        env=environ,
        stdout=subprocess.DEVNULL,
        stderr=log.open("ab"),
    )


@contextmanager
def misbehaving(h: Harness, simulator: str, **knobs: Any) -> Iterator[None]:
    """Turn a simulator's knobs (``outage=True``, ``latency_ms=...``) for the block's length."""
    url = h.sims[simulator]
    httpx.put(f"{url}/_sim/knobs", json=knobs).raise_for_status()
    try:
        yield
    finally:
        calm = {"outage": False, "error_rate": 0, "latency_ms": 0}
        httpx.put(f"{url}/_sim/knobs", json=calm).raise_for_status()


async def pending_attempts(client: Client, workflow_id: str, activity: str) -> int:
    """How many times the dossier's pending ``activity`` has been tried so far (0: none)."""
    description = await client.get_workflow_handle(workflow_id).describe()
    return max(
        (
            pending.attempt
            for pending in description.raw_description.pending_activities
            if pending.activity_type.name == activity
        ),
        default=0,
    )
