"""The fault benchmarks' books and command lines, on a planted event log (no stack, no timing)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from benchmarks import chaos, latency, recovery
from benchmarks._audit import Books, count_books, event_books, status_books
from benchmarks._stack import result_line
from motcua.store import migrate
from motcua.store._tables import EventRow, TaskCountRow, TaskRow


def _event(code: str, seq: int, kind: str, **facts: object) -> EventRow:
    return EventRow(
        event_id=f"{code}-{seq}",
        workflow_id=f"wf-{code}",
        seq=seq,
        dossier_code=code,
        procedure_code="1.004222",
        procedure_version=1,
        agency="commune-police",
        type=kind,
        occurred_at=datetime(2026, 1, 5, 9, seq, tzinfo=UTC),
        actor_id="system",
        **facts,
    )


def test_event_books_count_gaps_and_facts_recorded_twice(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'events.db'}"
    migrate(url)
    engine = create_engine(url)
    with Session(engine) as session:
        session.add_all(
            [
                _event("A", 1, "dossier.submitted"),
                _event("A", 2, "fee.paid", data={"transaction_id": "tx0"}),
                _event("A", 3, "fee.paid", data={"transaction_id": "tx0"}),  # the same, again
                _event("B", 1, "dossier.submitted"),
                _event("B", 4, "dossier.completed"),  # 2 and 3 missing
            ]
        )
        session.commit()
    engine.dispose()
    books = Books()

    kinds = event_books(url, ["A", "B"], books)

    assert (books.duplicate_events, books.seq_gaps) == (1, 2)
    assert kinds["A"]["fee.paid"] == 2 and kinds["B"]["dossier.completed"] == 1


def _task(task_id: str, status: str, role: str = "clerk") -> TaskRow:
    return TaskRow(
        task_id=task_id,
        dossier_code="A",
        workflow_id="wf-A",
        step_id="receive",
        branch_id=None,
        role=role,
        agency="commune-police",
        status=status,
        created_at=datetime(2026, 1, 5, 9, tzinfo=UTC),
    )


def test_count_books_find_kept_inbox_counts_that_differ_from_the_tasks(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'tasks.db'}"
    migrate(url)
    engine = create_engine(url)
    with Session(engine) as session:
        session.add_all([_task("t1", "open"), _task("t2", "open"), _task("t3", "decided")])
        session.add_all(
            [
                TaskCountRow(agency="commune-police", role="clerk", status="open", tasks=2),
                TaskCountRow(agency="commune-police", role="clerk", status="decided", tasks=2),
                TaskCountRow(agency="commune-police", role="chief", status="open", tasks=1),
            ]
        )
        session.commit()
    engine.dispose()
    books = Books()

    count_books(url, books)

    # decided: kept 2, counted 1; the chief's open task: kept 1, none in the tasks table.
    assert books.count_drift == 2


def test_status_books_tell_terminal_stuck_and_lost_apart() -> None:
    books = Books()
    status_books({"A": "completed", "B": "rejected", "C": "awaiting_payment", "D": None}, books)
    assert (books.submitted, books.terminal, books.stuck, books.lost) == (4, 2, 1, 1)


def test_the_result_line_is_key_value_pairs() -> None:
    line = result_line(open=500, recovery_s=12.345, worker_restarted=True)
    assert line == "RESULT open=500 recovery_s=12.35 worker_restarted=True"


@pytest.mark.parametrize(
    ("module", "argv", "says"),
    [
        (recovery, ["--open", "0"], "at least 1"),
        (chaos, ["--worker-kills", "6"], "at most 5 kills"),
        (latency, ["--warmup", "200", "--seconds", "100"], "--warmup below --seconds"),
    ],
)
def test_impossible_runs_are_refused_in_one_line(
    module: object, argv: list[str], says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        module.parse_args(argv)  # type: ignore[attr-defined]
    assert stopped.value.code == 2
    assert says in capsys.readouterr().err
