"""Tasks and dossiers derived from the event log, and the bottleneck report per step.

A task's *waiting* time runs from ``task.created`` to its first ``task.claimed`` (to
``task.decided`` when never claimed); its *working* time from that claim to ``task.decided``.
Both are working hours on the calendar. A dossier's *lead time* runs from ``dossier.accepted``
to ``dossier.completed`` in working hours, leaving out each wait for a supplement (from
``dossier.supplement_requested`` to the matching ``dossier.supplement_received``). A step's
*share* of lead time is the time its tasks spent inside completed dossiers' lead windows divided
by those dossiers' total lead time, so shares of all steps and the time between tasks add to 1.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

import numpy as np

from motcua.analysis._log import BoolArray, EventLog, IntArray
from motcua.analysis._worktime import FloatArray, WorkClock
from motcua.calendar import WorkCalendar, default_calendar

HOUR = 3600.0


@dataclass(frozen=True)
class Tasks:
    """One row per task (from ``task.created``); times in epoch seconds, durations in hours."""

    dossier: IntArray
    procedure: IntArray
    step: IntArray
    agency: IntArray
    officer: IntArray
    outcome: IntArray
    seq: IntArray
    decided_at: FloatArray
    due: FloatArray
    waiting: FloatArray
    working: FloatArray
    waiting_in_lead: FloatArray
    working_in_lead: FloatArray

    @property
    def decided(self) -> BoolArray:
        """Mask of the tasks that were decided."""
        out: BoolArray = np.isfinite(self.decided_at)
        return out


@dataclass(frozen=True)
class Dossiers:
    """One row per dossier code of the log; NaN where a dossier never got that far."""

    procedure: IntArray
    lead: FloatArray
    deadline: FloatArray
    late: BoolArray
    completed: BoolArray
    supplements: IntArray


def _first(keys: IntArray, values: FloatArray, n: int) -> FloatArray:
    out = np.full(n, np.nan)
    np.fmin.at(out, keys, values)
    return out


def _ranked(log: EventLog, rows: IntArray) -> tuple[IntArray, IntArray]:
    """``rows`` sorted by (dossier, time), and a key (dossier, rank within dossier)."""
    rows = rows[np.lexsort((log.at[rows], log.dossier[rows]))]
    d = log.dossier[rows]
    rank = np.arange(len(rows)) - np.searchsorted(d, d, side="left")
    return rows, d * 1_000_000 + rank


def derive(log: EventLog, clock: WorkClock) -> tuple[Tasks, Dossiers]:
    """The task and dossier tables of ``log``, with working times measured on ``clock``."""
    nd, at = len(log.dossier_names), log.at
    acc_rows = np.flatnonzero(log.is_type("dossier.accepted"))
    done_rows = np.flatnonzero(log.is_type("dossier.completed"))
    accepted = _first(log.dossier[acc_rows], at[acc_rows], nd)
    completed = _first(log.dossier[done_rows], at[done_rows], nd)
    due = np.full(nd, np.nan)
    due[log.dossier[acc_rows[::-1]]] = log.due[acc_rows[::-1]]
    late = np.zeros(nd, dtype=bool)
    late[log.dossier[done_rows]] = log.late[done_rows]
    window = np.isfinite(accepted) & np.isfinite(completed)
    req, kreq = _ranked(log, np.flatnonzero(log.is_type("dossier.supplement_requested")))
    rec, krec = _ranked(log, np.flatnonzero(log.is_type("dossier.supplement_received")))
    _, ia, ib = np.intersect1d(kreq, krec, return_indices=True)
    d = log.dossier[req[ia]]
    paused = clock.between(np.fmax(at[req[ia]], accepted[d]), np.fmin(at[rec[ib]], completed[d]))
    paused = np.asarray(
        np.bincount(d, weights=np.where(window[d], paused, 0.0), minlength=nd), dtype=np.float64
    )
    procedure = np.full(nd, -1, dtype=np.int64)
    procedure[log.dossier] = log.procedure
    dossiers = Dossiers(
        procedure=procedure,
        lead=np.where(window, (clock.between(accepted, completed) - paused) / HOUR, np.nan),
        deadline=clock.between(accepted, due) / HOUR,
        late=late,
        completed=np.isfinite(completed),
        supplements=np.bincount(log.dossier[req], minlength=nd),
    )

    created = log.is_type("task.created") & (log.task >= 0)
    ids, first = np.unique(log.task[created], return_index=True)
    rows = np.flatnonzero(created)[first]

    def locate(name: str) -> tuple[IntArray, IntArray]:
        ev = np.flatnonzero(log.is_type(name) & (log.task >= 0))
        pos = np.minimum(np.searchsorted(ids, log.task[ev]), max(len(ids) - 1, 0))
        ok = ids[pos] == log.task[ev] if len(ids) else np.zeros(len(ev), dtype=bool)
        return pos[ok], ev[ok]

    pos_c, ev_c = locate("task.claimed")
    pos_d, ev_d = locate("task.decided")
    claimed = _first(pos_c, at[ev_c], len(ids))
    decided = np.full(len(ids), np.nan)
    decided_ev = np.full(len(ids), -1, dtype=np.int64)
    decided[pos_d], decided_ev[pos_d] = at[ev_d], ev_d
    has = decided_ev >= 0
    start = np.fmin(claimed, decided)
    dossier = log.dossier[rows]
    in_window = window[dossier]
    lo, hi = accepted[dossier], completed[dossier]
    tasks = Tasks(
        dossier=dossier,
        procedure=log.procedure[rows],
        step=log.step[rows],
        agency=log.agency[rows],
        officer=np.where(has, log.actor[decided_ev], -1),
        outcome=np.where(has, log.outcome[decided_ev], -1),
        seq=log.seq[rows],
        decided_at=decided,
        due=log.due[rows],
        waiting=clock.between(at[rows], start) / HOUR,
        working=clock.between(start, decided) / HOUR,
        waiting_in_lead=np.where(
            in_window & has, clock.between(np.fmax(at[rows], lo), np.fmin(start, hi)) / HOUR, 0.0
        ),
        working_in_lead=np.where(
            in_window & has, clock.between(np.fmax(start, lo), np.fmin(decided, hi)) / HOUR, 0.0
        ),
    )
    return tasks, dossiers


def clock_for(log: EventLog, calendar: WorkCalendar | None = None) -> WorkClock:
    """A working-time clock covering every instant of ``log``."""
    return WorkClock.covering(calendar or default_calendar(), np.concatenate((log.at, log.due)))


@dataclass(frozen=True)
class Quantiles:
    """Median and 90th percentile in working hours (None when there is no observation)."""

    median: float | None
    p90: float | None


@dataclass(frozen=True)
class StepStats:
    """The figures of one step (optionally narrowed to one agency and/or one officer)."""

    procedure: str
    step: str
    agency: str | None
    officer: str | None
    tasks: int
    decided: int
    waiting_hours: Quantiles
    working_hours: Quantiles
    waiting_share: float
    working_share: float
    with_sla: int
    sla_breaches: int
    breach_rate: float
    dossiers: int
    supplement_requests: int
    loops_per_dossier: float
    outcomes: dict[str, int]

    @property
    def share(self) -> float:
        """Share of the dossiers' lead time spent waiting for or working on this step."""
        return self.waiting_share + self.working_share


@dataclass(frozen=True)
class ProcedureLead:
    """Lead time of a procedure's completed dossiers (supplement waits excluded)."""

    procedure: str
    dossiers: int
    completed: int
    lead_hours: Quantiles
    deadline_hours: float | None
    on_time_rate: float | None


@dataclass(frozen=True)
class BottleneckReport:
    """Per-step figures, optionally by agency and by officer, and the procedures' lead times."""

    procedures: tuple[ProcedureLead, ...]
    steps: tuple[StepStats, ...]
    by_agency: tuple[StepStats, ...] = ()
    by_officer: tuple[StepStats, ...] = ()

    def step(self, procedure: str, step: str) -> StepStats:
        """The all-agencies figures of one step."""
        return next(s for s in self.steps if (s.procedure, s.step) == (procedure, step))

    def to_dict(self) -> dict[str, Any]:
        """The report as plain JSON-ready data."""
        return asdict(self)

    def to_json(self) -> str:
        """The report as a JSON document."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)


def bottlenecks(
    log: EventLog,
    *,
    calendar: WorkCalendar | None = None,
    procedure: str | None = None,
    since: datetime | None = None,
    by_agency: bool = False,
    by_officer: bool = False,
) -> BottleneckReport:
    """The bottleneck report of ``log``.

    Args:
        log: The event log.
        calendar: The working calendar; the packaged Vietnamese one if None.
        procedure: Only this procedure code.
        since: Only dossiers whose first event is at or after this instant.
        by_agency: Also break each step down by agency.
        by_officer: Also break each step down by (agency and) deciding officer.
    """
    log = log.select(procedure=procedure, since=since)
    tasks, dossiers = derive(log, clock_for(log, calendar))
    return BottleneckReport(
        procedures=procedure_leads(log, dossiers),
        steps=step_stats(log, tasks, dossiers),
        by_agency=step_stats(log, tasks, dossiers, agency=True) if by_agency else (),
        by_officer=step_stats(log, tasks, dossiers, agency=True, officer=True)
        if by_officer
        else (),
    )


def _quantiles(group: IntArray, values: FloatArray, n: int) -> list[Quantiles]:
    """Median and p90 of ``values`` per group id in ``range(n)`` (NaN values ignored)."""
    ok = np.isfinite(values)
    group, values = group[ok], values[ok]
    order = np.lexsort((values, group))
    g, v = group[order], values[order]
    counts = np.bincount(g, minlength=n)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    out: list[list[float | None]] = []
    for q in (0.5, 0.9):
        pos = starts + q * np.maximum(counts - 1, 0)
        lo = np.minimum(np.floor(pos).astype(np.int64), max(len(v) - 1, 0))
        hi = np.minimum(np.ceil(pos).astype(np.int64), max(len(v) - 1, 0))
        value = v[lo] + (v[hi] - v[lo]) * (pos - np.floor(pos)) if len(v) else np.zeros(n)
        out.append([float(x) if c else None for x, c in zip(value, counts, strict=True)])
    return [Quantiles(m, p) for m, p in zip(out[0], out[1], strict=True)]


def _rate(part: float, whole: float) -> float:
    return part / whole if whole else 0.0


def step_stats(
    log: EventLog, tasks: Tasks, dossiers: Dossiers, *, agency: bool = False, officer: bool = False
) -> tuple[StepStats, ...]:
    """The figures of every (procedure, step[, agency][, officer]) group of ``tasks``."""
    sizes = (len(log.step_names) + 1, len(log.agency_names) + 1, len(log.actor_names) + 1)

    def key(p: IntArray, s: IntArray, a: IntArray, o: IntArray) -> IntArray:
        a = a if agency else np.zeros_like(a)
        o = o if officer else np.zeros_like(o)
        out: IntArray = ((p * sizes[0] + s + 1) * sizes[1] + a + 1) * sizes[2] + o + 1
        return out

    keys, gid = np.unique(
        key(tasks.procedure, tasks.step, tasks.agency, tasks.officer), return_inverse=True
    )
    n, decided = len(keys), tasks.decided
    lead_total = np.bincount(
        dossiers.procedure[dossiers.completed],
        weights=dossiers.lead[dossiers.completed],
        minlength=len(log.procedure_names),
    )
    group_lead = lead_total[tasks.procedure]
    wait_share = np.bincount(gid, weights=tasks.waiting_in_lead / np.maximum(group_lead, 1e-9))
    work_share = np.bincount(gid, weights=tasks.working_in_lead / np.maximum(group_lead, 1e-9))
    with_sla = decided & np.isfinite(tasks.due)
    breach = with_sla & (tasks.decided_at > tasks.due)
    req = np.flatnonzero(log.is_type("dossier.supplement_requested") & (log.step >= 0))
    req_key = key(log.procedure[req], log.step[req], log.agency[req], log.actor[req])
    pos = np.minimum(np.searchsorted(keys, req_key), n - 1)
    requests = np.bincount(pos[keys[pos] == req_key], minlength=n)
    pairs = np.unique(gid * len(log.dossier_names) + tasks.dossier)
    reached = np.bincount(pairs // len(log.dossier_names), minlength=n)
    no = len(log.outcome_names) + 1
    outcome_counts = np.bincount(
        gid[decided] * no + tasks.outcome[decided] + 1, minlength=n * no
    ).reshape(n, no)
    order = np.bincount(gid, weights=tasks.seq) / np.bincount(gid)
    waits = _quantiles(gid[decided], tasks.waiting[decided], n)
    works = _quantiles(gid[decided], tasks.working[decided], n)
    counts = np.bincount(gid, minlength=n)
    n_decided = np.bincount(gid, weights=decided, minlength=n)
    n_sla = np.bincount(gid, weights=with_sla, minlength=n)
    n_breach = np.bincount(gid, weights=breach, minlength=n)
    stats = []
    for i, k in enumerate(keys.tolist()):
        o = k % sizes[2] - 1
        a = (k // sizes[2]) % sizes[1] - 1
        s = (k // (sizes[2] * sizes[1])) % sizes[0] - 1
        p = k // (sizes[2] * sizes[1] * sizes[0])
        outcomes = {
            log.outcome_names[j - 1] if j else "(none)": int(c)
            for j, c in enumerate(outcome_counts[i].tolist())
            if c
        }
        stats.append(
            StepStats(
                procedure=log.procedure_names[p],
                step=log.step_names[s] if s >= 0 else "(none)",
                agency=log.agency_names[a] if agency and a >= 0 else None,
                officer=log.actor_names[o] if officer and o >= 0 else None,
                tasks=int(counts[i]),
                decided=int(n_decided[i]),
                waiting_hours=waits[i],
                working_hours=works[i],
                waiting_share=float(wait_share[i]),
                working_share=float(work_share[i]),
                with_sla=int(n_sla[i]),
                sla_breaches=int(n_breach[i]),
                breach_rate=_rate(float(n_breach[i]), float(n_sla[i])),
                dossiers=int(reached[i]),
                supplement_requests=int(requests[i]),
                loops_per_dossier=_rate(float(requests[i]), float(reached[i])),
                outcomes=outcomes,
            )
        )
    ranks = {id(st): (st.procedure, float(order[i])) for i, st in enumerate(stats)}
    return tuple(sorted(stats, key=lambda st: ranks[id(st)]))


def procedure_leads(log: EventLog, dossiers: Dossiers) -> tuple[ProcedureLead, ...]:
    """Lead time, deadline and on-time rate of each procedure's completed dossiers."""
    n = len(log.procedure_names)
    known = dossiers.procedure >= 0
    done = dossiers.completed & known
    leads = _quantiles(dossiers.procedure[done], dossiers.lead[done], n)
    total = np.bincount(dossiers.procedure[known], minlength=n)
    completed = np.bincount(dossiers.procedure[done], minlength=n)
    late = np.bincount(dossiers.procedure[done & dossiers.late], minlength=n)
    deadlines = _quantiles(dossiers.procedure[known], dossiers.deadline[known], n)
    return tuple(
        ProcedureLead(
            procedure=name,
            dossiers=int(total[p]),
            completed=int(completed[p]),
            lead_hours=leads[p],
            deadline_hours=deadlines[p].median,
            on_time_rate=float(1 - late[p] / completed[p]) if completed[p] else None,
        )
        for p, name in enumerate(log.procedure_names)
    )
