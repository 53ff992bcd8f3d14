"""Rebuilding the projections from the event log alone gives the tables projection wrote."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from itertools import groupby, zip_longest
from operator import attrgetter
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, Table, delete, select, update
from sqlalchemy.orm import Session, sessionmaker
from temporalio.testing import WorkflowEnvironment

from motcua.definitions import Catalog
from motcua.dossier import Event, SubmittedDocument, SupplementInput, WithdrawInput, event_id
from motcua.store import (
    PROJECTIONS,
    DossierCodeRow,
    DossierRow,
    EventRow,
    OutboxRow,
    TaskRow,
    allocate_dossier_code,
    get_dossier,
    make_engine,
    project,
    rebuild_projections,
    session_factory,
)
from tests.store.factories import every_event_type
from tests.workflows.harness import APPLICANT, running_worker

RESIDENCE = "1.004222"

Dump = dict[str, list[dict[str, Any]]]


def _dump(session: Session, *tables: Table) -> Dump:
    return {
        t.name: [dict(r) for r in session.execute(select(t).order_by(*t.primary_key)).mappings()]
        for t in tables
    }


def _project_as_workflows_do(engine: Engine, log: list[Event]) -> None:
    """Each dossier's events in batches of 1, 2, 3, … events, one transaction per batch, the
    dossiers' batches interleaved."""
    per_dossier = []
    for _, events in groupby(log, key=attrgetter("workflow_id")):
        rest, size, batches = list(events), 1, []
        while rest:
            batches.append(rest[:size])
            rest, size = rest[size:], size + 1
        per_dossier.append(batches)
    factory = session_factory(engine)
    for turn in zip_longest(*per_dossier):
        for batch in filter(None, turn):
            with factory.begin() as session:
                project(session, events=batch)


@pytest.fixture
def projected(engine: Engine) -> Dump:
    """The projections after a log of every event type, the first dossier's applicant known."""
    with session_factory(engine).begin() as session:
        allocate_dossier_code(
            session,
            submission_id="sub-000.00.01.H29-260115-0001",
            agency_code="000.00.01.H29",
            received_on=date(2026, 1, 15),
            applicant_id="001203004567",
        )
    _project_as_workflows_do(engine, every_event_type())
    with session_factory(engine)() as session:
        return _dump(session, *PROJECTIONS)


def test_a_rebuild_writes_every_projection_as_projection_did(
    engine: Engine, projected: Dump
) -> None:
    factory = session_factory(engine)
    kept = (EventRow.__table__, OutboxRow.__table__, DossierCodeRow.__table__)
    with factory() as session:
        before = _dump(session, *kept)  # type: ignore[arg-type]
    # Damage the projections, so that only a real rebuild can give them back.
    with factory.begin() as session:
        session.execute(delete(TaskRow))
        session.execute(update(DossierRow).values(status="submitted", applicant_id=None))
    with factory.begin() as session:
        report = rebuild_projections(session)
    with factory() as session:
        assert _dump(session, *PROJECTIONS) == projected
        assert _dump(session, *kept) == before  # type: ignore[arg-type]
        first = get_dossier(session, "000.00.01.H29-260115-0001")
        assert first is not None
        assert (first.status, first.applicant_id, first.rating) == ("rated", "001203004567", 2)
    assert (report.events, report.workflows) == (len(every_event_type()), 6)
    assert report.rows == {
        "dossiers": 6,
        "tasks": 5,
        "task_counts": 9,  # every (agency, role, status) a task had, some at 0 now
        "payments": 2,
        "evidence": 2,
        "results": 1,
    }


def test_the_rebuild_reads_the_log_a_page_of_workflows_at_a_time(
    engine: Engine, projected: Dump
) -> None:
    factory = session_factory(engine)
    for per_batch in (1, 4):
        with factory.begin() as session:
            report = rebuild_projections(session, workflows_per_batch=per_batch)
        assert report.workflows == 6
        with factory() as session:
            assert _dump(session, *PROJECTIONS) == projected


def test_projection_continues_a_rebuilt_dossier(engine: Engine, projected: Dump) -> None:
    factory = session_factory(engine)
    with factory.begin() as session:
        rebuild_projections(session)
    lapsed = [e for e in every_event_type() if e.dossier_code.endswith("0003")]
    last = lapsed[-1]
    later = last.model_copy(
        update={
            "event_id": event_id(last.workflow_id, last.seq + 1),
            "seq": last.seq + 1,
            "occurred_at": last.occurred_at + timedelta(days=1),
        }
    )
    with factory.begin() as session:
        assert project(session, events=[later]) == [later]
    with factory() as session:
        row = get_dossier(session, last.dossier_code)
        assert row is not None
        assert (row.status, row.last_seq, row.updated_at) == ("lapsed", 5, later.occurred_at)


def test_rebuilding_an_empty_log_empties_the_projections(session: Session) -> None:
    report = rebuild_projections(session)
    assert (report.events, report.workflows) == (0, 0)
    assert set(report.rows.values()) == {0}


async def test_a_rebuild_after_real_dossiers_gives_every_table_back(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path, store_url: str
) -> None:
    """Dossiers run by the engine (completed, supplemented, withdrawn after paying, one still
    open): the rows the workers projected are the rows a rebuild folds from the log, and each
    dossier row says what the workflow's own status query says."""
    async with running_worker(dev_env, catalog, tmp_path, database_url=store_url) as h:
        done = await h.submit(RESIDENCE, channel="online")
        await h.complete_residence(done)
        supplemented = await h.submit(RESIDENCE, channel="counter")
        await h.decide(supplemented, "receive", "request_supplement", missing=["ct01"])
        await h.wait_status(supplemented, "awaiting_supplement")
        await supplemented.supplement(SupplementInput(documents=[SubmittedDocument(id="ct01")]))
        await h.decide(supplemented, "receive", "accept")
        await h.wait_status(supplemented, "awaiting_payment")
        withdrawn = await h.submit(RESIDENCE, channel="online")
        await h.decide(withdrawn, "receive", "accept")
        await h.pay(withdrawn)
        await h.task(withdrawn, "review")
        await withdrawn.withdraw(WithdrawInput())
        waiting = await h.submit(RESIDENCE, channel="online")
        await h.task(waiting, "receive")
        dossiers = (done, supplemented, withdrawn, waiting)
        live = [await d.status() for d in dossiers]
        # The workflow answers ahead of the log: wait until the log has caught up.
        for status in live:
            await _caught_up(h.sessions, status.dossier_code, status.status)
    engine = make_engine(store_url)
    factory = session_factory(engine)
    try:
        with factory() as session:
            projected = _dump(session, *PROJECTIONS)
            for status in live:
                row = get_dossier(session, status.dossier_code)
                assert row is not None and row.applicant_id == APPLICANT.personal_id
                # The chain head is the workflow's own record (motcua audit), not the row's.
                snapshot = status.model_dump(exclude={"open_tasks", "chain_seq", "chain_head"})
                assert {k: getattr(row, k) for k in snapshot} == snapshot
        with factory.begin() as session:
            report = rebuild_projections(session)
        with factory() as session:
            assert _dump(session, *PROJECTIONS) == projected
        assert report.workflows == len(dossiers) and report.rows["dossiers"] == len(dossiers)
        assert report.rows["payments"] == 3 and report.rows["results"] == 1
    finally:
        engine.dispose()


async def _caught_up(
    sessions: sessionmaker[Session], code: str, status: str, *, timeout: float = 20
) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        with sessions() as session:
            row = get_dossier(session, code)
        if row is not None and row.status == status:
            return
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"the read model never caught up: {code} is not {status}")
        await asyncio.sleep(0.05)
