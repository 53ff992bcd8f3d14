"""The tasks counted per agency, role and status: kept by the projector, filled by the migration,
and what the inbox's total says."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from alembic import command
from sqlalchemy import Engine, func, insert, select
from sqlalchemy.orm import Session

from motcua.dossier import Event
from motcua.store import (
    TaskCountRow,
    TaskRow,
    alembic_config,
    inbox_page,
    make_engine,
    migrate,
    project,
    session_factory,
)
from tests.store.factories import Dossier

Counts = dict[tuple[str, str, str], int]


def _kept(session: Session) -> Counts:
    rows = session.execute(select(TaskCountRow.agency, TaskCountRow.role, TaskCountRow.status,
                                  TaskCountRow.tasks))  # fmt: skip
    return {(agency, role, status): n for agency, role, status, n in rows if n}


def _counted(session: Session) -> Counts:
    keys = (TaskRow.agency, TaskRow.role, TaskRow.status)
    rows = session.execute(select(*keys, func.count()).group_by(*keys))
    return {(agency, role, status): n for agency, role, status, n in rows}


def _tasks_in_every_status(police: Dossier, commune: Dossier) -> list[list[Event]]:
    """Batches as workflows send them: a task's whole life in one batch, another's in several,
    tasks of two agencies and two roles, one cancelled, some left open or claimed."""
    police_review = police.task("review", "residence-officer")
    commune_approval = commune.task("approval", "chairperson")
    task = {"task_id": "C:receipt", "task_agency": commune.agency}
    officer = {"actor_id": "lan", "actor_role": "one-stop-officer"}
    open_then_claimed = [
        commune.event(
            "task.created", step_id="receipt", step_kind="receipt", role="one-stop-officer", **task
        ),
        commune.event("task.claimed", step_id="receipt", waited_seconds=5, **task, **officer),
    ]
    cancelled = {"task_id": "P:consult", "task_agency": "ward-police"}
    return [
        [police.submitted(), commune.submitted()],
        police_review,  # created … decided in one batch
        commune_approval[:2],
        commune_approval[2:3],  # released: open again
        open_then_claimed,
        [
            police.event(
                "task.created",
                step_id="consult",
                step_kind="consult",
                role="police-officer",
                **cancelled,
            )
        ],
        [police.event("task.cancelled", step_id="consult", **cancelled)],
    ]


def test_the_kept_counts_are_the_tasks_counted_however_batched(session: Session) -> None:
    police, commune = Dossier("P"), Dossier("C", agency="commune-pc")
    for batch in _tasks_in_every_status(police, commune):
        project(session, events=batch)
        project(session, events=batch)  # a retried batch counts nothing twice
        assert _kept(session) == _counted(session)
    assert _kept(session) == {
        ("commune-police", "residence-officer", "decided"): 1,
        ("commune-pc", "chairperson", "open"): 1,
        ("commune-pc", "one-stop-officer", "claimed"): 1,
        ("ward-police", "police-officer", "cancelled"): 1,
    }
    _, total = inbox_page(
        session,
        agencies=["commune-pc", "commune-police"],
        roles=["chairperson", "one-stop-officer", "residence-officer"],
    )
    assert total == 2  # the open approval and the claimed receipt
    _, total = inbox_page(session, agencies=["commune-pc"], roles=["chairperson"], status=None)
    assert total == 1


def test_dossiers_projected_at_once_count_every_task_of_their_shared_scope(engine: Engine) -> None:
    """Twelve dossiers' officers in one office at once, each task's life in its own
    transactions: on PostgreSQL they update the same count rows concurrently, and no change is
    lost, none deadlocks."""
    factory = session_factory(engine)
    start, errors = threading.Barrier(12), []

    def officer(n: int) -> None:
        dossier = Dossier(f"D{n}", agency="commune-pc")
        life = [dossier.submitted(), *dossier.task("review", "chairperson")]
        try:
            start.wait()
            for batch in (life[:2], life[2:4], life[4:] if n % 3 else []):
                with factory.begin() as session:
                    project(session, events=batch)
        except BaseException as error:  # reported below: a thread's failure is not the test's
            errors.append(error)

    threads = [threading.Thread(target=officer, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    with factory() as session:
        assert (
            _kept(session)
            == _counted(session)
            == {
                ("commune-pc", "chairperson", "decided"): 8,
                ("commune-pc", "chairperson", "open"): 4,  # released, not claimed again
            }
        )


def test_the_migration_counts_the_tasks_already_projected(store_url: str) -> None:
    migrate(store_url, revision="0007")
    engine = make_engine(store_url)
    try:
        _write_tasks_without_projector(engine)
        command.upgrade(alembic_config(store_url), "head")
        with Session(engine) as session:
            assert _kept(session) == _counted(session)
            assert _kept(session) == {("commune-pc", "chairperson", "open"): 2,
                                      ("commune-pc", "chairperson", "decided"): 1}  # fmt: skip
    finally:
        engine.dispose()


def _write_tasks_without_projector(engine: Engine) -> None:
    at = datetime(2026, 1, 15, 8, tzinfo=UTC)
    rows = [
        {"task_id": f"t{i}", "dossier_code": "D", "workflow_id": "w", "role": "chairperson",
         "agency": "commune-pc", "status": status, "created_at": at, "outcomes": []}
        for i, status in enumerate(("open", "open", "decided"))
    ]  # fmt: skip
    with engine.begin() as connection:
        connection.execute(insert(TaskRow.__table__), rows)
