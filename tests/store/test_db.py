"""The schema: migrations match the models; engines and datetimes behave on both databases."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, select
from sqlalchemy.exc import StatementError

from motcua.dossier import event_row
from motcua.store import Base, EventRow, alembic_config, make_engine, migrate, session_factory
from tests.store.factories import Dossier


def test_migrated_schema_matches_the_models(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_migrate_is_repeatable_and_reversible(store_url: str) -> None:
    migrate(store_url)
    migrate(store_url)
    command.downgrade(alembic_config(store_url), "base")
    engine = make_engine(store_url)
    try:
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        migrate(engine)
        assert {"dossiers", "events", "tasks", "payments", "evidence", "results"} <= set(
            inspect(engine).get_table_names()
        )
    finally:
        engine.dispose()


def test_sqlite_engine_creates_the_directory_and_uses_wal(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "motcua.db"
    migrate(f"sqlite:///{path}")
    assert path.exists()
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_instants_come_back_aware_in_utc(engine: Engine) -> None:
    hanoi = timezone(timedelta(hours=7))
    dossier = Dossier("D-1")
    ev = dossier.submitted().model_copy(
        update={"occurred_at": datetime(2026, 1, 15, 9, 30, tzinfo=hanoi)}
    )
    with session_factory(engine)() as session:
        session.add(EventRow(**event_row(ev)))
        session.commit()
    with session_factory(engine, read_only=True)() as session:
        stored = session.scalars(select(EventRow)).one()
        assert stored.occurred_at == datetime(2026, 1, 15, 2, 30, tzinfo=UTC)
        assert stored.occurred_at.tzinfo == UTC
        before = datetime(2026, 1, 15, 9, 31, tzinfo=hanoi)
        assert session.scalars(select(EventRow).where(EventRow.occurred_at < before)).all()


def test_naive_datetimes_are_refused(engine: Engine) -> None:
    row = EventRow(**event_row(Dossier("D-1").submitted()))
    row.occurred_at = datetime(2026, 1, 15, 9, 30)
    with session_factory(engine)() as session:
        session.add(row)
        with pytest.raises(StatementError, match="naive datetime"):
            session.flush()
