"""The tasks counted per agency, role and status: kept by the projector, filled by the migration,
and what the inbox's total says."""

from __future__ import annotations

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
