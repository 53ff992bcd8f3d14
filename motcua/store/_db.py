"""Engine, sessions and schema migration of the read model.

SQLite (a file) is the embedded default, PostgreSQL the production database; the same code runs
on both.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

_S = TypeVar("_S")

_PACKAGE_DIR = Path(__file__).resolve().parent
_SQLITE_BUSY_TIMEOUT_MS = 30_000
# Execution option naming how a SQLite transaction begins (see `session_factory`).
_SQLITE_BEGIN = "motcua_sqlite_begin"


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """Create an engine for the read model.

    SQLite: the parent directory of the file is created; connections use WAL and a busy
    timeout, and every transaction starts with ``BEGIN IMMEDIATE`` so that concurrent writers
    wait for each other instead of failing on a stale snapshot (and so SAVEPOINTs work, which
    the sqlite3 driver's own transaction handling breaks). PostgreSQL: a bare
    ``postgresql://`` URL uses the psycopg (3) driver.

    Args:
        url: SQLAlchemy database URL, e.g. ``sqlite:///var/motcua.db`` or
            ``postgresql+psycopg://user@host/motcua``.
        echo: log every SQL statement.
    """
    parsed = make_url(url)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() != "sqlite":
        return create_engine(parsed, echo=echo, pool_pre_ping=True)

    database = parsed.database or ""
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(parsed, echo=echo, connect_args={"check_same_thread": False})
    event.listen(engine, "connect", _sqlite_on_connect)
    event.listen(engine, "begin", _sqlite_on_begin)
    return engine


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the sqlite3 driver, emit BEGIN (see _sqlite_on_begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        # synchronous stays FULL (the default): with NORMAL a power loss could roll back commits
        # that Temporal's history already counts as projected (lost events, a dossier code
        # issued twice), for under 0.5 % of the CPU per dossier (docs/performance.md).
        cursor.execute(f"PRAGMA busy_timeout={_SQLITE_BUSY_TIMEOUT_MS}")
    finally:
        cursor.close()


def _sqlite_on_begin(connection: Connection) -> None:
    mode = connection.get_execution_options().get(_SQLITE_BEGIN, "IMMEDIATE")
    connection.exec_driver_sql(f"BEGIN {mode}")


def session_factory(engine: Engine, *, read_only: bool = False) -> sessionmaker[Session]:
    """Return a session factory bound to ``engine``.

    Objects stay loaded after commit (``expire_on_commit=False``), so rows returned by the
    query functions can be used after the request's transaction ends.

    Args:
        engine: from `make_engine`.
        read_only: for API reads. On SQLite such sessions begin DEFERRED, so they read the
            last committed state while a writer holds the write lock; they must not write.
    """
    bind = engine
    if read_only and engine.dialect.name == "sqlite":
        bind = engine.execution_options(**{_SQLITE_BEGIN: "DEFERRED"})
    return sessionmaker(bind=bind, expire_on_commit=False)


def dialect_insert(session: Session) -> Any:
    """The dialect's ``insert``, which has ``on_conflict_do_nothing`` / ``_do_update``.

    Raises:
        NotImplementedError: the database is neither SQLite nor PostgreSQL.
    """
    return _insert_of(session.get_bind().dialect.name)


def _insert_of(name: str) -> Any:
    if name == "sqlite":
        return sqlite.insert
    if name == "postgresql":
        return postgresql.insert
    raise NotImplementedError(f"the read model supports sqlite and postgresql, not {name}")


_PREPARED: dict[tuple[Callable[[Any], Any], str], Any] = {}


def prepared(connection: Connection, build: Callable[[Any], _S]) -> _S:
    """The statement ``build(insert)`` for the dialect of ``connection`` (``insert`` as
    :func:`dialect_insert` gives it), built once per process. A statement object keeps its
    cache key: the projector's statements, rebuilt for every batch, cost more to build and
    key than to run. ``build`` must give a statement that takes its values as parameters.

    The projector runs them on the session's `Connection` (``session.connection()``): for
    Core statements that is what ``Session.execute`` ends up doing, minus its per-call ORM
    dispatch, which cost a fifth of each statement's execution."""
    name = connection.dialect.name
    key = (build, name)
    statement = _PREPARED.get(key)
    if statement is None:  # two threads may both build it: the same statement either way
        statement = _PREPARED[key] = build(_insert_of(name))
    return cast(_S, statement)


def alembic_config(url: str | None = None) -> Config:
    """Return an Alembic `Config` pointing at the migrations inside the installed package."""
    config = Config()
    config.set_main_option("script_location", str(_PACKAGE_DIR / "migrations"))
    config.set_main_option("path_separator", "os")
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def migrate(url_or_engine: str | Engine, *, revision: str = "head") -> None:
    """Bring the read-model schema up to ``revision`` (Alembic ``upgrade``).

    Args:
        url_or_engine: a database URL (an engine is made with `make_engine` and disposed) or
            an existing engine.
        revision: target revision, ``head`` by default.
    """
    if isinstance(url_or_engine, str):
        engine = make_engine(url_or_engine)
        try:
            migrate(engine, revision=revision)
        finally:
            engine.dispose()
        return
    config = alembic_config()
    with url_or_engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
