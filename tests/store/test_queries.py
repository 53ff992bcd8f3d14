"""Read-side queries: inbox filters, order and pages, citizen listings, headline counts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event, select
from sqlalchemy.orm import Session

from motcua.dossier import Event
from motcua.store import (
    TaskRow,
    allocate_dossier_code,
    count_by_status,
    inbox_page,
    list_dossiers,
    list_tasks,
    project,
    summary,
)
from tests.store.factories import T0, Dossier


def _reaching(dossier: Dossier, status: str, timeliness: str | None) -> list[Event]:
    """Events after the submission that leave the dossier in ``status``."""
    steps = {"in_review": "review", "awaiting_payment": "payment"}
    if status in steps:
        return [dossier.event("step.started", step_id=steps[status], step_kind=steps[status])]
    ending = "completed" if status == "rated" else status
    events = [dossier.event(f"dossier.{ending}", timeliness=timeliness)]
    if status == "rated":
        events.append(dossier.event("dossier.rated", score=5))
    return events


def _dossier(session: Session, code: str, status: str, **kw: Any) -> Dossier:
    applicant_id, timeliness = kw.pop("applicant_id", None), kw.pop("timeliness", None)
    if applicant_id is not None:
        code = allocate_dossier_code(
            session,
            submission_id=code,
            agency_code=code,
            received_on=date(2026, 1, 15),
            applicant_id=applicant_id,
        )
    dossier = Dossier(code, **kw)
    project(session, events=[dossier.submitted(), *_reaching(dossier, status, timeliness)])
    return dossier


def _task(session: Session, dossier: Dossier, task_id: str, **kw: Any) -> None:
    fields = {"task_agency": dossier.agency, "role": "residence-officer", **kw}
    created = dossier.event("task.created", step_id="review", task_id=task_id, **fields)
    project(session, events=[created])


def test_the_inbox_lists_the_most_urgent_first_and_filters(session: Session) -> None:
    residence = _dossier(session, "D-1", "in_review", procedure_code="1.004222")
    birth = _dossier(session, "D-2", "in_review", procedure_code="1.001193")
    _task(session, residence, "t-late", due_at=T0 + timedelta(days=1))
    _task(session, birth, "t-no-due")
    _task(session, birth, "t-soon", due_at=T0 + timedelta(hours=4))
    _task(session, residence, "t-other-role", role="police-chief", due_at=T0)

    inbox = list_tasks(session, role="residence-officer")
    assert [t.task_id for t in inbox] == ["t-soon", "t-late", "t-no-due"]
    assert [t.task_id for t in list_tasks(session, procedure_code="1.001193")] == [
        "t-soon",
        "t-no-due",
    ]
    due_today = list_tasks(session, due_before=T0 + timedelta(hours=12))
    assert [t.task_id for t in due_today] == ["t-other-role", "t-soon"]
    assert [t.task_id for t in list_tasks(session, limit=2, offset=1)] == ["t-soon", "t-late"]
    assert list_tasks(session, agency="another-agency") == []
    assert list_tasks(session, step_id="sign") == []


def _scattered_inbox(session: Session) -> list[TaskRow]:
    """Tasks of two agencies, two roles and every status, some undated, some due at the same
    instant (the creation then the id decide); every task row, to compare against."""
    dossiers = [
        _dossier(session, "D-1", "in_review", agency="commune-police"),
        _dossier(session, "D-2", "in_review", agency="commune-pc", procedure_code="1.001193"),
    ]
    for i in range(24):
        dossier = dossiers[i % 2]
        due = None if i % 5 == 0 else T0 + timedelta(hours=(i * 7) % 4)
        role = "residence-officer" if i % 3 else "police-chief"
        _task(session, dossier, f"t-{i:02d}", role=role, due_at=due)
        if i % 4 == 1:
            task = {"task_id": f"t-{i:02d}", "task_agency": dossier.agency, "actor_id": "lan",
                    "waited_seconds": 60}  # fmt: skip
            project(session, events=[dossier.event("task.claimed", step_id="review", **task)])
        if i % 4 == 2:
            decided = {"outcome": "approve", "duration_seconds": 60, "actor_id": "lan"}
            task = {"task_id": f"t-{i:02d}", "task_agency": dossier.agency, **decided}
            project(session, events=[dossier.event("task.decided", step_id="review", **task)])
    session.commit()
    return list(session.scalars(select(TaskRow)))


def _urgent_first(tasks: list[TaskRow]) -> list[str]:
    undated_last = sorted(tasks, key=lambda t: (t.due_at is None, t.due_at or T0, t.created_at,
                                                t.task_id))  # fmt: skip
    return [t.task_id for t in undated_last]


def test_the_inbox_pages_an_officers_whole_scope_most_urgent_first(session: Session) -> None:
    tasks = _scattered_inbox(session)
    agencies, roles = ["commune-police", "commune-pc"], ["residence-officer", "police-chief"]
    active = [t for t in tasks if t.status in ("open", "claimed")]
    expected = _urgent_first(active)
    assert 8 < len(expected) < len(tasks)
    for offset in range(0, len(expected) + 3, 4):
        page, total = inbox_page(session, agencies=agencies, roles=roles, limit=4, offset=offset)
        assert [t.task_id for t, _ in page] == expected[offset : offset + 4]
        assert total == len(expected)
    # Narrower scopes and filters: the same order, the same rows as filtering every task.
    mine = [t for t in active if t.agency == "commune-pc" and t.role == "residence-officer"]
    page, total = inbox_page(session, agencies=["commune-pc"], roles=["residence-officer"])
    assert [t.task_id for t, _ in page] == _urgent_first(mine) and total == len(mine)
    assert {procedure for _, procedure in page} == {"1.001193"}
    page, total = inbox_page(session, agencies=agencies, roles=roles, procedure_code="1.004222",
                             status=None)  # fmt: skip
    police = [t for t in tasks if t.agency == "commune-police"]
    assert [t.task_id for t, _ in page] == _urgent_first(police) and total == len(police)
    claimed = inbox_page(session, agencies=agencies, roles=roles, status=["claimed"])
    assert claimed[1] == sum(t.status == "claimed" for t in tasks)
    assert inbox_page(session, agencies=[], roles=roles) == ([], 0)


def test_inbox_filters_of_one_shape_each_get_their_own_rows(session: Session) -> None:
    """The statement of an inbox is built once per shape and its filters bound per call: the
    same shape with other values must not answer with the first call's rows."""
    tasks = _scattered_inbox(session)
    agencies, roles = ["commune-police", "commune-pc"], ["residence-officer", "police-chief"]
    active = [t for t in tasks if t.status in ("open", "claimed")]
    for procedure, agency in (("1.004222", "commune-police"), ("1.001193", "commune-pc")):
        page, total = inbox_page(session, agencies=agencies, roles=roles, procedure_code=procedure)
        expected = _urgent_first([t for t in active if t.agency == agency])
        assert [t.task_id for t, _ in page] == expected and total == len(expected)
    for hours in (1, 3):
        before = T0 + timedelta(hours=hours)
        page, total = inbox_page(session, agencies=agencies, roles=roles, due_before=before)
        due = [t for t in active if t.due_at is not None and _utc(t.due_at) < before]
        assert [t.task_id for t, _ in page] == _urgent_first(due) and total == len(due)
    for step, expected in (("review", _urgent_first(active)), ("elsewhere", [])):
        page, total = inbox_page(session, agencies=agencies, roles=roles, step_id=step)
        assert [t.task_id for t, _ in page] == expected and total == len(expected)


def _utc(instant: datetime) -> datetime:
    return instant if instant.tzinfo else instant.replace(tzinfo=UTC)


# SQLite only: PostgreSQL's planner rightly scans a table this small, so its plan says nothing
# (benchmarks.scale --inbox-only measures the index at size).
@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
def test_an_inbox_page_reads_the_inbox_index_not_every_open_task(
    engine: Engine, session: Session
) -> None:
    _scattered_inbox(session)
    sent: list[tuple[str, Any]] = []

    def keep(*args: Any) -> None:
        sent.append((args[2], args[3]))  # the statement and its parameters

    event.listen(engine, "before_cursor_execute", keep)
    try:
        inbox_page(session, agencies=["commune-police"], roles=["residence-officer", "chief"])
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    statement, parameters = sent[-1]  # the page, its total with it
    explain = session.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
    steps = [step for _, _, _, step in explain]
    reads = [step for step in steps if "tasks" in step.split()]
    # Each (agency, role, status) in order off the index and the page's rows by their key: no
    # scan of the tasks, no sort of them all; the total from the kept counts, by their key.
    streams = [
        r for r in reads if "COVERING INDEX ix_tasks_inbox (agency=? AND role=? AND status=?)" in r
    ]
    assert len(streams) == 2 * 2
    assert all(r in streams or r.endswith("(task_id=?)") for r in reads), reads
    counts = [step for step in steps if "task_counts" in step.split()]
    assert counts and all("(agency=? AND role=? AND status=?)" in step for step in counts), counts


def test_a_citizen_sees_only_their_dossiers(session: Session) -> None:
    _dossier(session, "D1", "in_review", applicant_id="001203004567")
    _dossier(session, "D2", "completed", applicant_id="001203004567")
    _dossier(session, "D3", "in_review", applicant_id="079090001234")
    mine = list_dossiers(session, applicant_id="001203004567")
    assert sorted(d.dossier_code for d in mine) == ["D1-260115-0001", "D2-260115-0001"]
    in_review = list_dossiers(session, status="in_review")
    assert [d.dossier_code for d in in_review] == ["D1-260115-0001", "D3-260115-0001"]
    finished = list_dossiers(session, status=["completed", "rated"])
    assert [d.dossier_code for d in finished] == ["D2-260115-0001"]


def test_summary_gives_the_headline_counts(session: Session) -> None:
    assert summary(session)["received"] == 0
    assert summary(session)["online_share"] == 0.0
    _dossier(session, "D-1", "completed", timeliness="early")
    _dossier(session, "D-2", "rated", timeliness="on_time")
    _dossier(session, "D-3", "completed", timeliness="late", channel="counter")
    _dossier(session, "D-4", "refused", channel="post")
    _dossier(session, "D-5", "withdrawn")
    _dossier(session, "D-6", "lapsed")
    _dossier(session, "D-7", "in_review", channel="counter")
    _dossier(session, "D-8", "awaiting_payment")

    assert summary(session) == {
        "received": 8,
        "finished": 3,
        "early": 1,
        "on_time": 1,
        "late": 1,
        "refused": 1,
        "rejected": 0,
        "withdrawn": 1,
        "lapsed": 1,
        "in_progress": 2,
        "online": 5,
        "online_share": 5 / 8,
    }
    assert count_by_status(session) == {
        "completed": 2,
        "rated": 1,
        "refused": 1,
        "withdrawn": 1,
        "lapsed": 1,
        "in_review": 1,
        "awaiting_payment": 1,
    }
    assert summary(session, agency="elsewhere")["received"] == 0
    assert summary(session, received_before=T0)["received"] == 0
    assert summary(session, received_from=T0)["received"] == 8
