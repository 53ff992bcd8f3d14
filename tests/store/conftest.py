"""Fixtures of the read-model tests: a migrated SQLite file, and PostgreSQL when configured.

Every test taking ``store_url`` (directly or through ``engine``/``session``) runs once on a
SQLite file and once on PostgreSQL. The PostgreSQL run is skipped unless
``MOTCUA_TEST_POSTGRES_URL`` names a database the tests may create schemas in, e.g.
``postgresql+psycopg://postgres@127.0.0.1:5432/motcua_test``; each test gets its own schema,
dropped afterwards.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import pytest
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from motcua.store import make_engine, migrate, session_factory

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


@pytest.fixture
def engine(store_url: str) -> Iterator[Engine]:
    migrate(store_url)
    engine = make_engine(store_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with session_factory(engine)() as session:
        yield session
