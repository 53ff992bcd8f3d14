"""What-if: projected lead time and on-time rate if a step is removed, automated or staffed.

The model replays the observed traces with the change, in working hours:

1. **Fit.** Each dossier of the procedure's lead-time table (completed, or open with its time
   so far, as in ``_derive``) is a trace: its lead time ``L`` (supplement waits excluded)
   splits into, per human step ``s``, the waiting ``W_s``
   and working ``S_s`` its tasks spent inside the lead window (summed over the dossier's tasks
   at ``s``, so supplement loops are kept), and the rest ``R = L - sum(W_s + S_s)`` (verification,
   payment, hand-overs). Per step we also fit the arrival rate ``lambda_s`` (tasks per working
   hour over the observed span), the officer count ``c_s`` (distinct deciding officers) and the
   mean working time ``E[S_s]``.
2. **Replay.** A scenario rewrites every observed trace once (no resampling, so the "before"
   column is exactly the lead-time table's figures): *remove* sets ``W_s = S_s = 0``;
   *automate* does the same (a system step takes no officer time and no queue; machine time is
   negligible next to working hours); *staff* scales
   ``W_s`` by ``Wq(c_s + k) / Wq_observed`` (never up).
3. **Queueing for staff.** A step is an M/M/c queue (Erlang C) with arrival rate ``lambda_s``.
   Officers rarely spend all their time on one step, so the *effective* service time (the working
   time stretched by other duties) is fitted by bisection so that the queue's mean wait with
   ``c_s`` officers equals the observed mean wait; ``k`` more officers with the same effective
   service time give the projected mean wait. When full-time officers already explain the
   observed wait, the observed working time is used as is. A log with no working time (the
   claim recorded at the decision) still has its queue: the fit needs only the waiting.
4. **Project.** Median and p90 of the rewritten lead times, by the one percentile method of
   ``_percentile``, and the on-time rate. The baseline's on-time verdicts are the lead-time
   table's (``_timeliness``: against the appointment date, supplement waits excluded, more
   than one supplement request late), so the "before" column equals the table's; a scenario's
   are ``_timeliness.Verdicts.after``: a dossier late by time only (at most one supplement
   request) becomes on time when the scenario saves it at least the working hours it finished
   past its appointment; an on-time dossier stays on time (no scenario lengthens a trace).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any, Literal

import numpy as np

from motcua.analysis._log import BoolArray, EventLog, IntArray
from motcua.analysis._percentile import PERCENTILE_METHOD, quantiles
from motcua.analysis._step_times import step_times
from motcua.analysis._timeliness import Verdicts
from motcua.analysis._worktime import FloatArray
from motcua.calendar import WorkCalendar

Action = Literal["remove", "automate", "staff"]


@dataclass(frozen=True)
class Scenario:
    """A change to one step: remove it, automate it, or give it ``officers`` more officers."""

    action: Action
    step: str
    officers: int = 0


@dataclass(frozen=True)
class Projection:
    """Projected lead time (working hours) and on-time rate."""

    median_hours: float
    p90_hours: float
    on_time_rate: float


@dataclass(frozen=True)
class WhatIf:
    """Baseline and scenario projections of one procedure, over its ``dossiers`` traces."""

    procedure: str
    scenario: Scenario
    baseline: Projection
    projected: Projection
    dossiers: int
    percentile_method: str = PERCENTILE_METHOD

    def to_dict(self) -> dict[str, Any]:
        """The result as plain JSON-ready data."""
        return asdict(self)

    def to_json(self) -> str:
        """The result as a JSON document."""
        return json.dumps(self.to_dict(), indent=2)


@dataclass(frozen=True)
class LeadModel:
    """The fitted traces and step parameters of one procedure (see the module docstring)."""

    procedure: str
    steps: tuple[str, ...]
    waiting: FloatArray
    working: FloatArray
    lead: FloatArray
    rest: FloatArray
    verdicts: Verdicts
    arrival_rate: FloatArray
    officers: IntArray
    mean_working: FloatArray
    mean_waiting: FloatArray


def fit(
    log: EventLog,
    *,
    procedure: str,
    calendar: WorkCalendar | None = None,
    now: datetime | None = None,
) -> LeadModel:
    """Fit the what-if model on the lead-time table's dossiers of ``procedure`` in ``log``
    (completed, and open ones up to ``now``, the log's last event if None)."""
    log = log.select(procedure=procedure)
    grid = step_times(log, calendar=calendar, now=now)
    tasks, dossiers, clock, done = grid.tasks, grid.dossiers, grid.clock, grid.rows
    steps, step_of, m = grid.steps, grid.column, len(grid.steps)
    waiting, working = grid.waiting, grid.working
    decided = tasks.decided
    counted = tasks.counted
    created = log.is_type("task.created")
    span_hours = np.ones(m)
    for j in range(m):  # one iteration per step, not per task
        at = log.at[created & (log.step == steps[j])]
        if len(at) > 1:
            span = clock.between(np.array([at.min()]), np.array([at.max()]))
            span_hours[j] = max(float(span[0]) / 3600.0, 1.0)
    officers = np.array(
        [len(np.unique(tasks.officer[decided & (step_of == j)])) for j in range(m)], dtype=np.int64
    )
    counts = np.bincount(step_of, minlength=m)

    def mean(values: FloatArray) -> FloatArray:
        ok = counted & np.isfinite(values)
        total = np.bincount(step_of[ok], weights=values[ok], minlength=m)
        out: FloatArray = total / np.maximum(np.bincount(step_of[ok], minlength=m), 1)
        return out

    return LeadModel(
        procedure=procedure,
        steps=grid.step_ids(log),
        waiting=waiting,
        working=working,
        lead=dossiers.lead[done],
        rest=np.maximum(dossiers.lead[done] - waiting.sum(axis=1) - working.sum(axis=1), 0.0),
        verdicts=grid.verdicts(),
        arrival_rate=counts / span_hours,
        officers=np.maximum(officers, 1),
        mean_working=mean(tasks.working),
        mean_waiting=mean(tasks.waiting),
    )


def erlang_wait(servers: int, load: float, service: float) -> float:
    """Mean queue wait of an M/M/c queue: ``servers`` officers, offered ``load`` (erlangs),
    mean service time ``service``; infinite when the queue is unstable."""
    if load >= servers:
        return math.inf
    term, total = 1.0, 1.0
    for i in range(1, servers):
        term *= load / i
        total += term
    top = term * load / servers * servers / (servers - load)
    return top / (total + top) * service / (servers - load)


def staffed_wait(model: LeadModel, j: int, extra: int) -> float:
    """Projected mean wait at step ``j`` with ``extra`` more officers (module docstring, 3)."""
    c, lam = int(model.officers[j]), float(model.arrival_rate[j])
    service, observed = float(model.mean_working[j]), float(model.mean_waiting[j])
    # No working time recorded (officers who decide without claiming first: the engine records
    # the claim at the decision) does not mean no queue: the fit below infers the service time
    # from the waiting alone. Only a step nobody waited at has nothing to shorten.
    if lam <= 0 or observed <= 0:
        return observed
    # The effective service time: the working time stretched by the officers' other duties.
    lo, hi = 1e-9, c / lam * (1 - 1e-9)
    if service < hi and erlang_wait(c, lam * service, service) >= observed:
        lo = hi = service  # full-time officers already explain the observed wait
    for _ in range(200):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if erlang_wait(c, lam * mid, mid) < observed else (lo, mid)
    effective = (lo + hi) / 2
    return erlang_wait(c + extra, lam * effective, effective)


def _project(lead: FloatArray, on_time: BoolArray) -> Projection:
    q = quantiles(lead)
    assert q.median is not None and q.p90 is not None  # what_if refuses an empty model
    # 1 - late / dossiers, as the lead-time table computes it, so the figures match exactly.
    on_time_rate = 1 - float((~on_time).sum()) / len(on_time)
    return Projection(median_hours=q.median, p90_hours=q.p90, on_time_rate=on_time_rate)


def what_if(model: LeadModel, scenario: Scenario) -> WhatIf:
    """Replay every trace of ``model`` with and without ``scenario``.

    Raises:
        ValueError: The step has no tasks in the fitted log, or the model has no dossiers.
    """
    if scenario.step not in model.steps:
        raise ValueError(f"step {scenario.step!r} has no tasks; known: {', '.join(model.steps)}")
    if not len(model.rest):
        raise ValueError(f"no completed or open dossier of {model.procedure} to fit on")
    j = model.steps.index(scenario.step)
    waiting, working = model.waiting.copy(), model.working.copy()
    base = model.lead  # exactly the lead-time table's dossiers and figures
    if scenario.action in ("remove", "automate"):
        waiting[:, j] = working[:, j] = 0.0
    else:
        observed = float(model.mean_waiting[j])
        factor = staffed_wait(model, j, scenario.officers) / observed if observed > 0 else 1.0
        waiting[:, j] *= min(factor, 1.0)
    saved = model.waiting[:, j] - waiting[:, j] + model.working[:, j] - working[:, j]
    changed = np.maximum(base - saved, 0.0)
    return WhatIf(
        procedure=model.procedure,
        scenario=scenario,
        baseline=_project(base, ~model.verdicts.late),
        projected=_project(changed, ~model.verdicts.after(saved)),
        dossiers=len(base),
    )


def by_effect(projections: Iterable[WhatIf]) -> list[WhatIf]:
    """Largest cut in median lead time first (then the largest on-time gain); changes that
    save nothing — a step with no time measured — last, never at the top."""

    def effect(w: WhatIf) -> tuple[bool, float, float]:
        cut = w.baseline.median_hours - w.projected.median_hours
        gain = w.projected.on_time_rate - w.baseline.on_time_rate
        return (cut <= 0 and gain <= 0, -cut, -gain)

    return sorted(projections, key=effect)
