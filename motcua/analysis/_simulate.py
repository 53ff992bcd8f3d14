"""Simulate a draft procedure on the dossiers observed under the version in force.

A trace-driven model (the observed traces of ``_simulate_traces``, in working hours):

1. **Steps.** Each observed step the draft keeps (same id, still worked by an officer) keeps
   every dossier's observed waiting and working time; a step the draft drops loses both; a
   step the draft makes automatic (same id, now a verification, payment or result step) takes
   no officer time and no queue (machine time is negligible next to working hours); a step
   answered by several agencies (a consultation) keeps its observed times, with no queue.
   Supplement requests made at a dropped or automated step are not made, nor are the
   documents they named; documents the draft has a database provide (``replaced_by``) are
   never asked for (the engine refuses such a request; a log may still hold some from before
   the document was marked).
2. **Queues where officers are shared.** Each pool of officers (``role@agency``, as many
   officers as decided its tasks in the log) is a first-come, first-served queue fed by the
   observed arrivals: a dossier reaches a step at its acceptance plus the observed time of
   the steps before it in that version, on the working-hours axis, and is served for its
   observed working time by the first free officer. The queue runs once for the observed
   version and once for the draft; a task's waiting changes by the difference (never below
   zero). So a draft that merges two steps' work onto one role waits longer there, and one
   that frees a shared role waits less; a draft that changes nothing projects the log.
3. **Figures.** Per dossier: lead time (the rest, i.e. verification, payment and hand-overs,
   plus the kept steps), on time (``_timeliness.Verdicts.after``, the rule of the lead-time
   table: the observed verdict, moved by the working hours the draft gains, a change in
   statutory deadline included, with the supplement requests the draft still makes), officer
   hours, documents asked of the citizen (those the definition asks for, conditional ones
   counted, plus the supplements') and in-person visits (steps marked ``in_person``). Each
   figure gets a bootstrap confidence interval over the dossiers (``_stats``).
"""

from __future__ import annotations

import heapq
import json
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from motcua.analysis._log import BoolArray
from motcua.analysis._percentile import PERCENTILE_METHOD
from motcua.analysis._simulate_traces import Traces, pool_of
from motcua.analysis._stats import (
    CONFIDENCE,
    MIN_SAMPLE,
    SMALL_SAMPLE_WHY,
    Interval,
    Statistic,
    bootstrap,
    median,
    p90,
)
from motcua.analysis._timeliness import TIMELINESS_NOTE
from motcua.analysis._worktime import FloatArray
from motcua.definitions import Procedure

MACHINE = frozenset({"verify", "payment", "result"})
"""Step kinds no officer works: a step of the log turned into one of these is automated."""


@dataclass(frozen=True)
class Figures:
    """The projected (or observed) figures per dossier, each with its interval."""

    lead_median_hours: Interval
    lead_p90_hours: Interval
    on_time_rate: Interval
    officer_hours: Interval
    documents: Interval
    visits: Interval


@dataclass(frozen=True)
class Simulation:
    """The observed version's dossiers, as they were (``observed``) and through the draft."""

    procedure: str
    against_version: int
    draft_version: int
    dossiers: int
    removed: list[str]
    automated: list[str]
    new: list[str]
    observed: Figures
    projected: Figures
    warnings: list[str] = field(default_factory=list)
    confidence: float = CONFIDENCE
    percentile_method: str = PERCENTILE_METHOD
    timeliness: str = TIMELINESS_NOTE

    def to_dict(self) -> dict[str, Any]:
        """The result as plain JSON-ready data."""
        return asdict(self)

    def to_json(self) -> str:
        """The result as a JSON document."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)


def _fifo_waits(ready: FloatArray, service: FloatArray, servers: int) -> FloatArray:
    """Queue wait of each arrival at ``servers`` officers, first come first served."""
    order = np.argsort(ready, kind="stable")
    free = [0.0] * max(servers, 1)
    waits = np.zeros(len(ready))
    for i in order.tolist():
        start = max(ready[i], heapq.heappop(free))
        waits[i] = start - ready[i]
        heapq.heappush(free, start + service[i])
    return waits


def _queue_waits(
    traces: Traces, columns: list[int], pools: list[str], officers: dict[str, int]
) -> FloatArray:
    """(dossier, column) queue waits of one version's human steps in order (module, 2)."""
    waits = np.zeros_like(traces.waiting)
    elapsed = np.cumsum(traces.waiting[:, columns] + traces.working[:, columns], axis=1)
    before = np.hstack((np.zeros((len(traces), 1)), elapsed[:, :-1]))
    ready = traces.accepted[:, None] + before
    for pool in dict.fromkeys(pools):
        mine = [k for k, p in enumerate(pools) if p == pool]
        cols = [columns[k] for k in mine]
        arrivals = ready[:, mine].ravel()
        service = traces.working[:, cols].ravel()
        queued = _fifo_waits(arrivals, service, officers.get(pool, 1))
        waits[:, cols] = queued.reshape(len(traces), len(cols))
    return waits


def _human(procedure: Procedure, traces: Traces) -> tuple[list[int], list[str]]:
    """The observed columns ``procedure`` has officers work, in its step order, and pools."""
    columns, pools = [], []
    for step in procedure.steps:
        pool = pool_of(procedure, step.id)
        if pool is not None and step.id in traces.steps:
            columns.append(traces.steps.index(step.id))
            pools.append(pool)
    return columns, pools


def _asked(procedure: Procedure) -> int:
    """Documents the definition asks of every citizen (conditional ones counted)."""
    return sum(1 for d in procedure.documents if d.replaced_by is None and d.required)


def _figures(
    traces: Traces,
    procedure: Procedure,
    *,
    lead: FloatArray,
    late: BoolArray,
    keep: np.ndarray,
    seed: int,
    projected: bool,
) -> Figures:
    on_time = (~late).astype(np.float64)
    # Observed: what officers really asked. Projected: never a document a database provides,
    # since the engine refuses such a request (Decree 118/2025 Art. 17.1b).
    by_db = {d.id for d in procedure.documents if d.replaced_by is not None} if projected else set()
    still_asked = np.array([doc not in by_db for doc in traces.document_ids], dtype=bool)
    documents = _asked(procedure) + traces.documents[:, keep][:, :, still_asked].sum(axis=(1, 2))
    visits = np.full(len(lead), float(sum(1 for s in procedure.steps if s.in_person)))

    def ci(values: FloatArray, statistic: Statistic) -> Interval:
        return bootstrap(values, statistic, seed=seed)

    return Figures(
        lead_median_hours=ci(lead, median),
        lead_p90_hours=ci(lead, p90),
        on_time_rate=ci(on_time, _mean),
        officer_hours=ci(traces.working[:, keep].sum(axis=1), _mean),
        documents=ci(documents.astype(np.float64), _mean),
        visits=ci(visits, _mean),
    )


def _mean(values: FloatArray) -> FloatArray:
    return np.asarray(values.mean(axis=-1), dtype=np.float64)


def simulate(traces: Traces, observed: Procedure, draft: Procedure, *, seed: int = 0) -> Simulation:
    """Replay ``traces`` (observed under ``observed``) through ``draft`` (module docstring).

    Raises:
        ValueError: ``traces`` holds no dossier.
    """
    if not len(traces):
        raise ValueError(
            f"no completed or open dossier of {observed.code} version {observed.version} "
            "to simulate on"
        )
    draft_ids = {s.id for s in draft.steps}
    removed = [s for s in traces.steps if s not in draft_ids]
    automated = [s for s in traces.steps if s in draft_ids and draft.step(s).kind in MACHINE]
    keep = np.array([s in draft_ids and s not in automated for s in traces.steps], dtype=bool)
    new = [s.id for s in draft.steps if s.kind not in MACHINE and s.id not in traces.steps]
    officers = dict(traces.officers)
    for step in draft.steps:  # a role new to the log: as many officers as the step had
        pool, before = pool_of(draft, step.id), pool_of(observed, step.id)
        if pool is not None and pool not in officers:
            officers[pool] = traces.officers.get(before or "", 1)
    base_waits = _queue_waits(traces, *_human(observed, traces), officers)
    draft_waits = _queue_waits(traces, *_human(draft, traces), officers)
    waiting = np.maximum(traces.waiting + draft_waits - base_waits, 0.0)
    dropped = ((traces.waiting + traces.working) * ~keep).sum(axis=1)
    lead = np.maximum(traces.lead - dropped - ((traces.waiting - waiting) * keep).sum(axis=1), 0.0)
    # The one timeliness rule: the observed verdicts, moved by the hours the draft gains
    # (its shorter lead, and a longer statutory deadline moving the appointment later).
    gain = traces.lead - lead + (draft.deadline.hours - observed.deadline.hours)
    asked = traces.verdicts.supplements - traces.supplements[:, ~keep].sum(axis=1)
    late = traces.verdicts.after(gain, asked)
    everything = np.ones(len(traces.steps), dtype=bool)
    warnings = _warnings(len(traces), new)
    return Simulation(
        procedure=observed.code,
        against_version=observed.version,
        draft_version=draft.version,
        dossiers=len(traces),
        removed=removed,
        automated=automated,
        new=new,
        observed=_figures(
            traces,
            observed,
            lead=traces.lead,
            late=traces.verdicts.late,
            keep=everything,
            seed=seed,
            projected=False,
        ),
        projected=_figures(
            traces, draft, lead=lead, late=late, keep=keep, seed=seed, projected=True
        ),
        warnings=warnings,
    )


def _warnings(dossiers: int, new: list[str]) -> list[str]:
    out = []
    if dossiers < MIN_SAMPLE:
        out.append(f"too few dossiers to say ({dossiers}): {SMALL_SAMPLE_WHY}")
    if new:
        out.append(
            f"step(s) {', '.join(new)} are new: no dossier was observed there, so they count "
            "as taking no time and the projection is optimistic"
        )
    return out
