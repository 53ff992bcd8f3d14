"""The task and dossier tables derived from the event log, as of an instant.

A task's *waiting* time runs from ``task.created`` to its first ``task.claimed``; its *working*
time from that claim to ``task.decided``; both in working hours on the calendar. A task still
open at the as-of instant (neither decided nor cancelled, its dossier not ended) counts with its
time so far, up to that instant: a right-censored observation, so the longest wait in the log is
never dropped. A dossier's *lead time* runs from ``dossier.accepted`` to ``dossier.completed``,
or to the as-of instant while it is open, leaving out each wait for a supplement (from
``dossier.supplement_requested`` to the matching ``dossier.supplement_received``, or to the
as-of instant while the citizen has not answered). Timeliness is the one rule of
``_timeliness``, computed from the events.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from motcua.analysis._log import BoolArray, EventLog, IntArray
from motcua.analysis._timeliness import APPOINTMENT_EVENTS, late_mask
from motcua.analysis._worktime import FloatArray, WorkClock
from motcua.calendar import WorkCalendar, default_calendar
from motcua.dossier import ENDINGS

HOUR = 3600.0


@dataclass(frozen=True)
class Tasks:
    """One row per task (from ``task.created``); times in epoch seconds, durations in hours."""

    dossier: IntArray
    procedure: IntArray
    step: IntArray
    agency: IntArray
    officer: IntArray  # the decider, else the officer holding the claim, else -1 (unclaimed)
    outcome: IntArray
    seq: IntArray
    decided_at: FloatArray
    open: BoolArray  # still open at the as-of instant: its times are so far (right-censored)
    breached: BoolArray  # decided, or still open, after its SLA due instant
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

    @property
    def counted(self) -> BoolArray:
        """Decided or still open: the tasks the waiting and working figures count."""
        out: BoolArray = self.decided | self.open
        return out


@dataclass(frozen=True)
class Dossiers:
    """One row per dossier code of the log; NaN where a dossier never got that far."""

    procedure: IntArray
    lead: FloatArray  # completed: accepted → completed; open: accepted → as-of (censored)
    deadline: FloatArray
    late: BoolArray  # computed from the events (``_timeliness``)
    recorded_late: BoolArray  # the flag the engine recorded on dossier.completed
    completed: BoolArray
    open: BoolArray  # accepted, not ended at the as-of instant
    supplements: IntArray
    overdue: (
        FloatArray  # working hours past the appointment at the end (as-of while open); 0 if not
    )
    slack: FloatArray  # working hours to spare before the appointment when not late; inf: no date

    @property
    def in_table(self) -> BoolArray:
        """The dossiers of the lead-time table: completed, or open with their time so far."""
        out: BoolArray = (self.completed | self.open) & np.isfinite(self.lead)
        return out


def _first(keys: IntArray, values: FloatArray, n: int) -> FloatArray:
    out = np.full(n, np.nan)
    np.fmin.at(out, keys, values)
    return out


def _last(keys: IntArray, values: FloatArray, n: int) -> FloatArray:
    out = np.full(n, np.nan)
    np.fmax.at(out, keys, values)
    return out


def _ranked(log: EventLog, rows: IntArray) -> tuple[IntArray, IntArray]:
    """``rows`` sorted by (dossier, time), and a key (dossier, rank within dossier)."""
    rows = rows[np.lexsort((log.at[rows], log.dossier[rows]))]
    d = log.dossier[rows]
    rank = np.arange(len(rows)) - np.searchsorted(d, d, side="left")
    return rows, d * 1_000_000 + rank


def _rows(log: EventLog, *names: str) -> IntArray:
    mask = np.zeros(len(log), dtype=bool)
    for name in names:
        mask |= log.is_type(name)
    return np.flatnonzero(mask)


def _dossiers(
    log: EventLog, clock: WorkClock, now: float
) -> tuple[Dossiers, FloatArray, FloatArray, FloatArray]:
    """The dossier table, and per dossier: accepted, end of its lead window (NaN when not in
    the table) and end (completed or ended otherwise; NaN while open)."""
    nd, at = len(log.dossier_names), log.at
    acc_rows, done_rows = _rows(log, "dossier.accepted"), _rows(log, "dossier.completed")
    accepted = _first(log.dossier[acc_rows], at[acc_rows], nd)
    completed = _first(log.dossier[done_rows], at[done_rows], nd)
    end_rows = _rows(log, "dossier.completed", *sorted(ENDINGS))
    finished = _first(log.dossier[end_rows], at[end_rows], nd)
    is_open = np.isfinite(accepted) & ~np.isfinite(finished)
    lead_end = np.where(np.isfinite(completed), completed, np.where(is_open, now, np.nan))
    window = np.isfinite(accepted) & np.isfinite(lead_end)

    req, kreq = _ranked(log, _rows(log, "dossier.supplement_requested"))
    rec, krec = _ranked(log, _rows(log, "dossier.supplement_received"))
    answered = np.full(len(req), np.nan)
    _, ia, ib = np.intersect1d(kreq, krec, return_indices=True)
    answered[ia] = at[rec[ib]]
    d = log.dossier[req]
    waiting_for_citizen = ~np.isfinite(answered)
    answered = np.where(waiting_for_citizen, lead_end[d], answered)  # still waiting: so far
    paused = clock.between(np.fmax(at[req], accepted[d]), np.fmin(answered, lead_end[d]))
    paused = np.nan_to_num(np.where(window[d], paused, 0.0))
    paused_total = np.bincount(d, weights=paused, minlength=nd).astype(np.float64)

    # The appointment date: the last one set at acceptance or at a restart (not an extension).
    appt = _rows(log, *APPOINTMENT_EVENTS)
    appt = appt[np.lexsort((log.at[appt], log.dossier[appt]))]
    due = np.full(nd, np.nan)
    due[log.dossier[appt]] = log.due[appt]  # later rows overwrite earlier ones
    first_due = np.full(nd, np.nan)
    first_due[log.dossier[acc_rows[::-1]]] = log.due[acc_rows[::-1]]
    stop_rows = _rows(log, "deadline.stopped")
    stopped_at = _last(log.dossier[stop_rows], at[stop_rows], nd)
    set_at = _last(log.dossier[appt], at[appt], nd)
    unanswered = np.bincount(d[waiting_for_citizen], minlength=nd) > 0
    clock_stopped = (stopped_at > np.nan_to_num(set_at, nan=-np.inf)) | unanswered

    supplements = np.bincount(d, minlength=nd)
    recorded_late = np.zeros(nd, dtype=bool)
    recorded_late[log.dossier[done_rows]] = log.late[done_rows]
    procedure = np.full(nd, -1, dtype=np.int64)
    procedure[log.dossier] = log.procedure
    end = np.where(np.isfinite(completed), completed, now)
    late = late_mask(
        supplements=supplements,
        due=due,
        finished_at=completed,
        now=now,
        clock_stopped=clock_stopped & ~np.isfinite(completed),
    )
    table = Dossiers(
        procedure=procedure,
        lead=np.where(window, (clock.between(accepted, lead_end) - paused_total) / HOUR, np.nan),
        deadline=clock.between(accepted, first_due) / HOUR,
        late=late,
        recorded_late=recorded_late,
        completed=np.isfinite(completed),
        open=is_open,
        supplements=supplements,
        overdue=np.where(
            late & np.isfinite(due), clock.between(due, np.fmax(end, due)) / HOUR, 0.0
        ),
        slack=np.where(
            ~late & np.isfinite(due), clock.between(np.fmin(end, due), due) / HOUR, np.inf
        ),
    )
    return table, accepted, np.where(window, lead_end, np.nan), finished


def derive(log: EventLog, clock: WorkClock, now: float) -> tuple[Tasks, Dossiers]:
    """The task and dossier tables of ``log`` as of ``now`` (epoch seconds), with working
    times measured on ``clock``."""
    dossiers, accepted, lead_end, finished = _dossiers(log, clock, now)
    at = log.at
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
    pos_x, ev_x = locate("task.cancelled")
    pos_r, ev_r = locate("task.released")
    claimed = _first(pos_c, at[ev_c], len(ids))
    # Who holds an open task: the officer of its last claim, unless released since.
    order = np.argsort(at[ev_c], kind="stable")
    holder = np.full(len(ids), -1, dtype=np.int64)
    holder[pos_c[order]] = log.actor[ev_c[order]]  # later claims overwrite earlier ones
    released = _last(pos_r, at[ev_r], len(ids)) >= _last(pos_c, at[ev_c], len(ids))
    holder = np.where(released, -1, holder)
    decided = np.full(len(ids), np.nan)
    decided_ev = np.full(len(ids), -1, dtype=np.int64)
    decided[pos_d], decided_ev[pos_d] = at[ev_d], ev_d
    cancelled = _first(pos_x, at[ev_x], len(ids))
    has = decided_ev >= 0
    dossier = log.dossier[rows]
    is_open = ~has & ~np.isfinite(cancelled) & ~np.isfinite(finished[dossier])
    end = np.where(has, decided, np.where(is_open, now, np.nan))
    start = np.fmin(claimed, end)
    counted = has | is_open
    lo, hi = accepted[dossier], lead_end[dossier]
    in_window = np.isfinite(hi) & counted
    due = log.due[rows]
    tasks = Tasks(
        dossier=dossier,
        procedure=log.procedure[rows],
        step=log.step[rows],
        agency=log.agency[rows],
        officer=np.where(has, log.actor[np.maximum(decided_ev, 0)], holder),
        outcome=np.where(has, log.outcome[np.maximum(decided_ev, 0)], -1),
        seq=log.seq[rows],
        decided_at=decided,
        open=is_open,
        breached=counted & np.isfinite(due) & (np.nan_to_num(end) > np.nan_to_num(due)),
        due=due,
        waiting=clock.between(at[rows], start) / HOUR,
        working=clock.between(start, end) / HOUR,
        waiting_in_lead=np.nan_to_num(
            np.where(in_window, clock.between(np.fmax(at[rows], lo), np.fmin(start, hi)), 0.0)
        )
        / HOUR,
        working_in_lead=np.nan_to_num(
            np.where(in_window, clock.between(np.fmax(start, lo), np.fmin(end, hi)), 0.0)
        )
        / HOUR,
    )
    return tasks, dossiers


def clock_for(
    log: EventLog, calendar: WorkCalendar | None = None, now: float | None = None
) -> WorkClock:
    """A working-time clock covering every instant of ``log`` (and ``now``)."""
    extra = np.array([] if now is None else [now], dtype=np.float64)
    return WorkClock.covering(
        calendar or default_calendar(), np.concatenate((log.at, log.due, extra))
    )


def as_of(log: EventLog, now: float | None) -> float:
    """The as-of instant: ``now``, or the log's last event when not given."""
    if now is not None:
        return now
    finite = log.at[np.isfinite(log.at)]
    return float(finite.max()) if finite.size else 0.0
