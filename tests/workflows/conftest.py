"""Fixtures of the workflow tests that wait days and weeks of workflow time."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from temporalio.testing import WorkflowEnvironment

from motcua.definitions import Catalog
from tests.workflows.harness import Harness, skipping_worker


@pytest.fixture
async def h(
    skipping_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> AsyncIterator[Harness]:
    """A worker on the time-skipping server, and the harness that drives its dossiers."""
    async with skipping_worker(skipping_env, catalog, tmp_path) as harness:
        yield harness
