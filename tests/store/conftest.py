"""Fixtures of the read-model tests: a migrated SQLite file, and PostgreSQL when configured.

Every test taking ``store_url`` (directly or through ``engine``/``session``) runs once on a
SQLite file and once on PostgreSQL. The PostgreSQL run is skipped unless
``MOTCUA_TEST_POSTGRES_URL`` names a database the tests may create schemas in, e.g.
``postgresql+psycopg://postgres@127.0.0.1:5432/motcua_test``; each test gets its own schema,
dropped afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from motcua.store import make_engine, migrate, session_factory


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
