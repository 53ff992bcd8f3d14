"""On PostgreSQL the migrations create ``motcua_app``: it does the engine's work, and may add
to the event log and read it, never change or delete a row of it. Runs only when
``MOTCUA_TEST_POSTGRES_URL`` is set (``bash .ci/postgres`` prints one)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Connection, text
from sqlalchemy.exc import ProgrammingError
from sqlalchemy.orm import Session

from motcua.store import list_events, make_engine, migrate, project
from tests.store.factories import Dossier


@pytest.fixture
def as_app_role(store_url: str) -> Iterator[Connection]:
    """A connection acting as ``motcua_app`` on a migrated schema of its own."""
    migrate(store_url)
    engine = make_engine(store_url)
    with engine.connect() as connection:
        connection.exec_driver_sql("SET ROLE motcua_app")  # for the session, past the commit
        connection.commit()
        yield connection
    engine.dispose()


@pytest.mark.parametrize("store_url", ["postgresql"], indirect=True)
def test_the_app_role_appends_to_the_log_and_cannot_rewrite_it(as_app_role: Connection) -> None:
    dossier = Dossier("000.00.01.H29-260115-0001")
    with Session(bind=as_app_role) as session, session.begin():
        project(session, events=[dossier.submitted(), dossier.event("dossier.accepted")])
    with Session(bind=as_app_role) as session:
        assert [e.seq for e in list_events(session, dossier.code)] == [1, 2]

    for statement in (
        "UPDATE events SET actor_id = 'officer-mallory' WHERE seq = 1",
        "DELETE FROM events WHERE seq = 2",
        "UPDATE audit_anchors SET root = 'forged'",
        "DELETE FROM audit_anchors",
    ):
        with pytest.raises(ProgrammingError, match="permission denied"), as_app_role.begin():
            as_app_role.execute(text(statement))
    with Session(bind=as_app_role) as session:
        assert [e.actor_id for e in list_events(session, dossier.code)] == ["system", "system"]
