"""Each room imports only what its role needs: workflow code loads contracts, never the store,
HTTP clients or metrics; the reference adapters never load the simulators."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT


def _loaded(module: str, watched: list[str]) -> list[str]:
    """Which of ``watched`` a fresh interpreter has loaded after importing ``module``."""
    code = (
        f"import sys, json, {module}; "
        f"print(json.dumps([m for m in {watched!r} if m in sys.modules]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return list(json.loads(out.stdout))


@pytest.mark.parametrize("module", ["workflows", "activities.contracts"])
def test_workflow_code_loads_no_store_http_or_metrics(module: str) -> None:
    assert _loaded(module, ["sqlalchemy", "httpx", "prometheus_client", "fastapi"]) == []


def test_the_reference_adapters_do_not_load_the_simulators() -> None:
    modules = "adapters.http.payment, adapters.http.population, adapters.http.notification"
    assert _loaded(modules.replace(" ", ""), ["motcua.simulators"]) == []
