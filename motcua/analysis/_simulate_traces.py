"""The observed dossiers of one procedure version as traces the draft simulation replays.

One row per dossier of the lead-time table (completed, or open with its time so far, as in
``_derive``), one column per step that had tasks: the waiting and working hours its tasks
spent inside the dossier's lead window (supplement loops summed), the supplement requests
made at that step and the documents they named. What is not in any task (verification,
payment, hand-overs) is the ``rest``. Officers are counted per pool, ``role@agency``: the
distinct officers who decided that pool's tasks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np

from motcua.analysis._derive import HOUR, Tasks
from motcua.analysis._log import EventLog, IntArray
from motcua.analysis._step_times import step_times
from motcua.analysis._timeliness import Verdicts
from motcua.analysis._worktime import FloatArray
from motcua.calendar import WorkCalendar
from motcua.definitions import Procedure


def pool_of(procedure: Procedure, step_id: str) -> str | None:
    """The officers who work ``step_id``: ``role@agency``; None for a step no officer works."""
    try:
        step = procedure.step(step_id)
    except KeyError:
        return None
    role = getattr(step, "role", None)
    if role is None:
        return None
    return f"{role}@{getattr(step, 'agency', None) or procedure.agency}"


@dataclass(frozen=True)
class Traces:
    """Observed traces of one procedure version (see the module docstring); hours throughout.

    Attributes:
        steps: The step id of each column.
        verdicts: Each dossier's observed verdict, and what a change would make of it.
        accepted: Each dossier's acceptance on the working-hours axis (hours of working time
            since the clock's start), so queues run in working time.
        supplements: Supplement requests per dossier and step.
        documents: Documents named in supplement requests, (dossier, step, document) counts.
        officers: Distinct deciding officers per pool ``role@agency``.
    """

    steps: tuple[str, ...]
    waiting: FloatArray
    working: FloatArray
    lead: FloatArray
    rest: FloatArray
    verdicts: Verdicts
    accepted: FloatArray
    supplements: IntArray
    documents: IntArray
    document_ids: tuple[str, ...]
    officers: dict[str, int]

    def __len__(self) -> int:
        return len(self.lead)


def observe(
    log: EventLog,
    observed: Procedure,
    *,
    calendar: WorkCalendar | None = None,
    now: datetime | None = None,
) -> Traces:
    """The traces of ``log`` (one procedure version's dossiers) as of ``now`` (default: the
    log's last event)."""
    grid = step_times(log, calendar=calendar, now=now)
    dossiers, rows, row_of, steps = grid.dossiers, grid.rows, grid.row_of, grid.steps
    n, m = len(rows), len(steps)
    waiting, working = grid.waiting, grid.working
    requests = np.flatnonzero(log.is_type("dossier.supplement_requested"))
    req_col = np.searchsorted(steps, log.step[requests]).clip(0, max(m - 1, 0))
    known = (steps[req_col] == log.step[requests]) if m else np.zeros(len(requests), bool)
    supplements = grid.per_cell(log.dossier[requests[known]], req_col[known])
    documents = _documents(log, requests, req_col, known, row_of, (n, m))
    accepted_rows = np.flatnonzero(log.is_type("dossier.accepted"))
    accepted = np.full(len(dossiers.lead), np.nan)
    np.fmin.at(accepted, log.dossier[accepted_rows], log.at[accepted_rows])
    lead = dossiers.lead[rows]
    return Traces(
        steps=grid.step_ids(log),
        waiting=waiting,
        working=working,
        lead=lead,
        rest=np.maximum(lead - waiting.sum(axis=1) - working.sum(axis=1), 0.0),
        verdicts=grid.verdicts(),
        accepted=grid.clock.cumulative(accepted[rows]) / HOUR,
        supplements=supplements.astype(np.int64),
        documents=documents,
        document_ids=log.doc_names,
        officers=_officers(log, observed, grid.tasks),
    )


def _documents(
    log: EventLog,
    requests: IntArray,
    req_col: IntArray,
    known: np.ndarray,
    row_of: IntArray,
    shape: tuple[int, int],
) -> IntArray:
    """(dossier, step, document) counts of the documents named in supplement requests."""
    n, m = shape
    k = len(log.doc_names)
    col_of_event = np.full(len(log), -1)
    col_of_event[requests[known]] = req_col[known]
    col = col_of_event[log.doc_event]
    row = row_of[log.dossier[log.doc_event]]
    ok = (col >= 0) & (row >= 0)
    cell = (row[ok] * m + col[ok]) * k + log.doc[ok]
    counts = np.bincount(cell, minlength=n * m * k)
    return counts.reshape(n, m, k).astype(np.int64)


def _officers(log: EventLog, observed: Procedure, tasks: Tasks) -> dict[str, int]:
    """Distinct deciding officers per pool of ``observed``."""
    step, officer, decided = tasks.step, tasks.officer, tasks.decided
    seen: dict[str, set[int]] = {}
    for s in np.unique(step[decided]).tolist():
        pool = pool_of(observed, log.step_names[s]) if s >= 0 else None
        if pool is not None:
            seen.setdefault(pool, set()).update(officer[decided & (step == s)].tolist())
    return {pool: len(ids) for pool, ids in seen.items()}
