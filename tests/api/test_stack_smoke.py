"""The API test stack starts: docs served, an unauthenticated call refused readably."""

from __future__ import annotations

from pathlib import Path

from temporalio.testing import WorkflowEnvironment

from motcua.definitions import Catalog
from tests.api.stack import api_stack


async def test_docs_and_a_readable_401(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    async with api_stack(dev_env, catalog, tmp_path) as api:
        assert (await api.http.get("/openapi.json")).status_code == 200
        assert (await api.http.get("/docs")).status_code == 200
