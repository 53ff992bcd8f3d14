"""The lead-time table's dossiers as rows and the steps as columns: what the what-if and the
draft simulation both replay.

One row per dossier of the lead-time table (completed, or open with its time so far, as in
``_derive``), one column per step that had tasks; each cell holds the waiting and working hours
the dossier's tasks at that step spent inside its lead window (supplement loops summed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np

from motcua.analysis._derive import Dossiers, Tasks, as_of, clock_for, derive
from motcua.analysis._log import EventLog, IntArray
from motcua.analysis._timeliness import Verdicts
from motcua.analysis._worktime import FloatArray, WorkClock, epoch_seconds
from motcua.calendar import WorkCalendar


@dataclass(frozen=True)
class StepTimes:
    """The derived tables of a log and its (dossier, step) grid.

    Attributes:
        clock: The working-time clock the times were measured on.
        tasks: The task table (``_derive``).
        dossiers: The dossier table (``_derive``).
        rows: The dossier index of each row (the lead-time table's dossiers).
        row_of: Each dossier's row, -1 for a dossier not in the table.
        steps: The step code (into ``log.step_names``) of each column.
        column: Each task's column.
        waiting: (row, column) waiting hours inside the lead window.
        working: (row, column) working hours inside the lead window.
    """

    clock: WorkClock
    tasks: Tasks
    dossiers: Dossiers
    rows: IntArray
    row_of: IntArray
    steps: IntArray
    column: IntArray
    waiting: FloatArray
    working: FloatArray

    def per_cell(
        self, dossier: IntArray, column: IntArray, weights: FloatArray | None = None
    ) -> FloatArray:
        """Sum ``weights`` (or count) per (row, column); dossiers not in the table are left out."""
        return _grid(self.row_of, (len(self.rows), len(self.steps)), dossier, column, weights)

    def verdicts(self) -> Verdicts:
        """The observed verdicts of the rows (the lead-time table's, by ``_timeliness``)."""
        d, rows = self.dossiers, self.rows
        return Verdicts(d.late[rows], d.supplements[rows], d.overdue[rows], d.slack[rows])

    def step_ids(self, log: EventLog) -> tuple[str, ...]:
        """The step id of each column."""
        return tuple(log.step_names[s] if s >= 0 else "(none)" for s in self.steps.tolist())


def step_times(
    log: EventLog, *, calendar: WorkCalendar | None = None, now: datetime | None = None
) -> StepTimes:
    """The (dossier, step) grid of ``log`` as of ``now`` (default: the log's last event)."""
    at = as_of(log, None if now is None else epoch_seconds(now))
    clock = clock_for(log, calendar, at)
    tasks, dossiers = derive(log, clock, at)
    rows = np.flatnonzero(dossiers.in_table)
    row_of = np.full(len(dossiers.lead), -1)
    row_of[rows] = np.arange(len(rows))
    steps, column = np.unique(tasks.step, return_inverse=True)
    shape = (len(rows), len(steps))
    return StepTimes(
        clock,
        tasks,
        dossiers,
        rows,
        row_of,
        steps,
        column,
        waiting=_grid(row_of, shape, tasks.dossier, column, tasks.waiting_in_lead),
        working=_grid(row_of, shape, tasks.dossier, column, tasks.working_in_lead),
    )


def _grid(
    row_of: IntArray,
    shape: tuple[int, int],
    dossier: IntArray,
    column: IntArray,
    weights: FloatArray | None,
) -> FloatArray:
    n, m = shape
    ok = row_of[dossier] >= 0
    cell = row_of[dossier[ok]] * m + column[ok]
    w = None if weights is None else weights[ok]
    out = np.bincount(cell, weights=w, minlength=n * m).reshape(n, m)
    return np.asarray(out, dtype=np.float64)
