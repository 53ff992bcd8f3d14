"""A short real demo on the Temporal dev server: it completes, and its summary's figures are the
ones ``motcua kpis`` computes from the same read model."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from rich.console import Console
from temporalio.testing import WorkflowEnvironment

from benchmarks.demo_clock import short_office
from motcua.definitions import Catalog
from motcua.demo import DemoConfig, DemoReport, print_summary, run_demo
from tests.conftest import ROOT
from tests.workflows.harness import running_worker


async def demo_run(
    env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path, *, dossiers: int, scale: float
) -> DemoReport:
    async with running_worker(env, catalog, tmp_path) as h:
        config = DemoConfig(
            dossiers=dossiers,
            time_scale=scale,
            max_seconds=90,
            office=short_office(),
            adapt_clock=False,
        )
        return await run_demo(
            h.client,
            catalog,
            h.sessions,
            task_queue=h.task_queue,
            config=config,
            console=Console(quiet=True),
            options=h.options,
        )


async def test_a_short_demo_completes_and_its_summary_is_what_motcua_kpis_says(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    report = await demo_run(dev_env, catalog, tmp_path, dossiers=8, scale=8000)
    assert report["received"] >= 8 and report["in_progress"] == 0
    assert report["finished"] > 0
    environ = {
        **os.environ,
        "MOTCUA_DATABASE_URL": f"sqlite:///{tmp_path / 'motcua.db'}",
        "MOTCUA_ENVIRONMENT": "test",
    }
    done = subprocess.run(
        [sys.executable, "-m", "motcua.cli", "kpis", "--json"],
        cwd=ROOT, env=environ, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    cli = json.loads(done.stdout)
    ours = report.kpis.to_dict()
    for mine, theirs in zip(ours["agencies"], cli["agencies"], strict=True):
        assert mine["agency"] == theirs["agency"]
        assert mine["indicators"] == theirs["indicators"]
    assert report.top_steps() and report.time_split()
    console = Console(width=120, record=True)
    print_summary(console, report)
    text = console.export_text()
    on_time = report.kpis.agencies[0].get("on_time")
    assert f"{on_time.numerator}" in text and "Bottleneck 1:" in text
    assert "waiting for an officer" in text and "motcua bottlenecks" in text
