"""How many tasks each (agency, role, status) has, kept as the tasks are written.

An officer's inbox says how many tasks are on all its pages. Counted on the inbox index, that
total visits every task of the officer's scope: ~0.35 µs each on SQLite, 35 ms at 100,000 open
tasks in one scope, where the page itself takes under a millisecond (benchmarks/README.md,
"Scale"). The projector keeps these counts in the same transaction as the tasks, so the total
reads one row per (agency, role, status) of the scope however many tasks there are. Like every
projection, a rebuild counts them again from the events.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from typing import Any

from sqlalchemy import Connection, Select, delete, func, insert, select

from motcua.store._db import prepared
from motcua.store._rows import Row, table_of
from motcua.store._tables import TaskCountRow, TaskRow

_COUNTS = table_of(TaskCountRow)
_TASKS = table_of(TaskRow)


class TaskCounts:
    """The changes one batch of events makes to the counts."""

    def __init__(self) -> None:
        self._changes: dict[tuple[str, str, str], int] = defaultdict(int)

    def add(self, task: Row, change: int) -> None:
        """Count ``task`` (a tasks row, in its current status) ``change`` times more."""
        self._changes[task["agency"], task["role"], task["status"]] += change

    def write(self, connection: Connection) -> None:
        """Add the changes to the stored counts. Every key the batch touched is written, a
        change of 0 too, so the table's rows do not depend on how events were batched; in key
        order, so that two transactions on PostgreSQL lock the counts in the same order."""
        if not self._changes:
            return
        rows = [
            {"agency": agency, "role": role, "status": status, "tasks": change}
            for (agency, role, status), change in sorted(self._changes.items())
        ]
        connection.execute(prepared(connection, _add_statement), rows)
        self._changes.clear()


def kept_total(
    *, agencies: Collection[str], roles: Collection[str], status: Collection[str] | None
) -> Select[int]:
    """The number of tasks at ``agencies`` for ``roles`` in ``status`` (any, if None): a read
    of one row per (agency, role, status)."""
    counts = _COUNTS.c
    total = select(func.coalesce(func.sum(counts.tasks), 0))
    total = total.where(counts.agency.in_(list(agencies)), counts.role.in_(list(roles)))
    return total if status is None else total.where(counts.status.in_(list(status)))


def counted_tasks() -> Select[tuple[str, str, str, int]]:
    """The tasks table counted per (agency, role, status): what the kept counts must equal."""
    key = (_TASKS.c.agency, _TASKS.c.role, _TASKS.c.status)
    return select(*key, func.count().label("tasks")).group_by(*key)


def recount_tasks(connection: Connection) -> None:
    """Count the tasks table again (for rows written around the projector, as a benchmark
    does)."""
    connection.execute(delete(_COUNTS))
    columns = ["agency", "role", "status", "tasks"]
    connection.execute(insert(_COUNTS).from_select(columns, counted_tasks()))


def _add_statement(dialect_insert: Any) -> Any:
    statement = dialect_insert(_COUNTS)
    return statement.on_conflict_do_update(
        index_elements=list(_COUNTS.primary_key.columns),
        set_={"tasks": _COUNTS.c.tasks + statement.excluded.tasks},
    )
