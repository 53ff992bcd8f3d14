"""Synthetic event logs with planted properties, for tests and benchmarks.

The generator walks all dossiers through a procedure's steps at once, array by array: arrivals
are a Poisson process in working time; each human step is a task (created → claimed → decided)
whose waiting and working times are log-normal in working hours; receipt and review tasks ask
for a supplement now and then (clock stopped, restarted on receipt); verification, payment and
result follow. The events have the types and fields the engine writes (``workflows/procedure.py``).
A bottleneck step gets a much longer waiting time; a rubber-stamp step always approves.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from motcua.analysis._log import EventLog, IntArray
from motcua.analysis._worktime import FloatArray, WorkClock, epoch_seconds, from_epoch
from motcua.calendar import WorkCalendar, default_calendar
from motcua.definitions import ApprovalStep, Procedure, ReceiptStep, ReviewStep, load_catalog
from motcua.dossier import EVENT_ADAPTER, Event, event_id

SAMPLE_PROCEDURE = "1.004222"
TYPES = (
    "dossier.submitted",
    "dossier.accepted",
    "dossier.supplement_requested",
    "dossier.supplement_received",
    "dossier.refused",
    "dossier.rejected",
    "dossier.completed",
    "verification.completed",
    "fee.requested",
    "fee.paid",
    "task.created",
    "task.claimed",
    "task.decided",
    "deadline.set",
    "deadline.stopped",
    "result.issued",
    "result.delivered",
)
OUTCOMES = ("accept", "request_supplement", "refuse", "approve", "reject", "confirmed")
SYSTEM_ACTORS = ("system", "citizen", "payment-platform")
_H = 3600.0


@lru_cache(maxsize=4)
def sample_procedure(code: str = SAMPLE_PROCEDURE) -> Procedure:
    """A procedure from the project's ``procedure_defs`` (permanent residence by default)."""
    return load_catalog(Path(__file__).resolve().parents[2] / "procedure_defs").latest(code)


@dataclass(frozen=True)
class StepTimes:
    """Median waiting and working time of a human step, in working hours."""

    waiting: float
    working: float


DEFAULT_TIMES = {
    "receipt": StepTimes(1.0, 0.5),
    "review": StepTimes(4.0, 2.0),
    "approval": StepTimes(2.0, 0.5),
}


@dataclass(frozen=True)
class _Plan:
    officers: int
    supplement_rate: float
    bottleneck: str | None
    factor: float
    rubber_stamp: str | None


class _Walk:
    """All dossiers walking through the procedure together; events collected as array chunks."""

    def __init__(self, proc: Procedure, n: int, rng: np.random.Generator, clock: WorkClock) -> None:
        self.proc, self.n, self.rng, self.clock = proc, n, rng, clock
        self.chunks: list[dict[str, np.ndarray]] = []
        self.actors = list(SYSTEM_ACTORS)
        self.agencies = [proc.agency]
        self.now = np.zeros(n)
        self.alive = np.ones(n, dtype=bool)
        self.due = np.full(n, np.nan)
        self.clock_on = np.zeros(n, dtype=bool)
        self.supplements = np.zeros(n, dtype=np.int64)

    def emit(self, idx: IntArray, type_: str, at: FloatArray, **cols: object) -> None:
        k = len(idx)
        chunk = {"dossier": idx, "type": np.full(k, TYPES.index(type_)), "at": at}
        defaults: dict[str, object] = {
            "step": -1, "due": np.nan, "actor": 0, "outcome": -1, "task": -1, "agency": 0,
            "aux": 0, "docs": 0, "late": False,
        }  # fmt: skip
        for name, default in defaults.items():
            chunk[name] = np.broadcast_to(np.asarray(cols.get(name, default)), (k,))
        self.chunks.append(chunk)

    def later(self, idx: IntArray, hours: FloatArray | float) -> FloatArray:
        return self.clock.add(self.now[idx], np.broadcast_to(hours, idx.shape) * _H)

    def lognormal(self, median: float, k: int, sigma: float = 0.6) -> FloatArray:
        out: FloatArray = median * np.exp(sigma * self.rng.standard_normal(k))
        return out

    def run(self, t0: float, span_hours: float, plan: _Plan) -> None:
        n, officers = self.n, plan.officers
        offsets = np.cumsum(self.rng.exponential(span_hours / max(n, 1), n))
        self.now = self.clock.add(np.full(n, t0), offsets * _H)
        everyone = np.arange(n)
        # A copy: the walk moves ``now`` on in place, and the submission instants must stay.
        self.emit(everyone, "dossier.submitted", self.now.copy(), actor=1)
        for si, step in enumerate(self.proc.steps):
            idx = np.flatnonzero(self.alive)
            if isinstance(step, ReceiptStep | ReviewStep | ApprovalStep):
                agency = step.agency or self.proc.agency
                if agency not in self.agencies:
                    self.agencies.append(agency)
                base = len(self.actors)
                self.actors += [f"{step.role}-{j + 1:02d}" for j in range(officers)]
                self.human(si, step, base, self.agencies.index(agency), plan)
            elif step.kind == "verify":
                self.now[idx] = self.later(idx, 0.02)
                self.emit(idx, "verification.completed", self.now[idx], step=si, outcome=5)
            elif step.kind == "payment":
                self.now[idx] = self.later(idx, 0.01)
                self.emit(idx, "fee.requested", self.now[idx], step=si)
                self.now[idx] = self.later(idx, self.lognormal(1.0, len(idx)))
                self.emit(idx, "fee.paid", self.now[idx], step=si, actor=2)
            elif step.kind == "result":
                self.now[idx] = self.later(idx, 0.1)
                self.emit(idx, "result.issued", self.now[idx], step=si)
                for j in range(len(getattr(step, "delivery", []))):
                    self.emit(idx, "result.delivered", self.now[idx], step=si, aux=j)
                late = (self.now[idx] > self.due[idx]) | (self.supplements[idx] > 1)
                at = self.now[idx]
                self.emit(idx, "dossier.completed", at, step=si, due=self.due[idx], late=late)

    def human(
        self,
        si: int,
        step: ReceiptStep | ReviewStep | ApprovalStep,
        base: int,
        agency: int,
        plan: _Plan,
    ) -> None:
        positive = "accept" if step.kind == "receipt" else "approve"
        negative = "refuse" if step.kind == "receipt" else "reject"
        supplement = plan.supplement_rate if step.kind != "approval" else 0.0
        ending = {"receipt": 0.01, "review": 0.03, "approval": 0.08}[step.kind]
        if step.id == plan.rubber_stamp:
            supplement = ending = 0.0
        times = DEFAULT_TIMES[step.kind]
        waiting = times.waiting
        if step.id == plan.bottleneck:
            waiting *= plan.factor
        pending = np.flatnonzero(self.alive)
        for attempt in (1, 2, 3):
            k = len(pending)
            if not k:
                return
            created = self.now[pending]
            task = pending * 64 + si * 8 + attempt
            sla = step.sla.hours * _H if step.sla else np.nan
            due = self.clock.add(created, np.full(k, sla)) if step.sla else np.full(k, np.nan)
            cols = {"step": si, "task": task, "agency": agency}
            self.emit(pending, "task.created", created, due=due, aux=attempt, **cols)
            claimed = self.clock.add(created, self.lognormal(waiting, k) * _H)
            decided = self.clock.add(claimed, self.lognormal(times.working, k) * _H)
            officer = base + self.rng.integers(plan.officers, size=k)
            self.emit(pending, "task.claimed", claimed, actor=officer, aux=attempt, **cols)
            u = self.rng.random(k)
            asks = (u < supplement) & (attempt < 3)
            ends = ~asks & (u > 1 - ending)
            outcome = np.where(asks, 1, np.where(ends, OUTCOMES.index(negative), 0))
            outcome = np.where(outcome == 0, OUTCOMES.index(positive), outcome)
            docs = np.where(asks, self._docs(k), 0)
            late = decided > due
            self.emit(
                pending, "task.decided", decided, due=due, actor=officer, outcome=outcome,
                docs=docs, late=late, aux=attempt, **cols,
            )  # fmt: skip
            self.now[pending] = decided
            gone = pending[ends]
            self.alive[gone] = False
            ending_type = "dossier.refused" if step.kind == "receipt" else "dossier.rejected"
            self.emit(gone, ending_type, decided[ends], step=si, actor=officer[ends])
            if step.kind == "receipt":
                ok = pending[~asks & ~ends]
                self.due[ok] = self.clock.add(self.now[ok], np.full(len(ok), self._deadline()))
                self.clock_on[ok] = True
                self.emit(ok, "dossier.accepted", self.now[ok], step=si, due=self.due[ok])
            self.supplement(pending[asks], si, officer[asks], docs[asks])
            pending = pending[asks]

    def _deadline(self) -> float:
        return self.proc.deadline.hours * _H

    def _docs(self, k: int) -> IntArray:
        bits = self.rng.random((k, len(self.proc.documents))) < 0.45
        mask: IntArray = (bits * (1 << np.arange(bits.shape[1]))).sum(axis=1)
        return np.where(mask == 0, 1, mask)

    def supplement(self, idx: IntArray, si: int, officer: IntArray, docs: IntArray) -> None:
        on = idx[self.clock_on[idx]]
        self.emit(on, "deadline.stopped", self.now[on], step=si)
        self.supplements[idx] += 1
        at = self.now[idx]
        cols = {"step": si, "actor": officer, "docs": docs, "aux": self.supplements[idx]}
        self.emit(idx, "dossier.supplement_requested", at, **cols)
        self.now[idx] = at + self.lognormal(2 * 86400.0, len(idx))
        self.emit(idx, "dossier.supplement_received", self.now[idx], step=si, actor=1)
        self.due[on] = self.clock.add(self.now[on], np.full(len(on), self._deadline()))
        self.emit(on, "deadline.set", self.now[on], step=si, due=self.due[on])

    def build(self) -> tuple[EventLog, IntArray, IntArray]:
        """The log in (dossier, emission) order, and the aux and document-mask columns."""
        cols = {k: np.concatenate([c[k] for c in self.chunks]) for k in self.chunks[0]}
        chunk_no = np.concatenate([np.full(len(c["at"]), i) for i, c in enumerate(self.chunks)])
        order = np.lexsort((chunk_no, cols["dossier"]))
        cols = {k: v[order] for k, v in cols.items()}
        d = cols["dossier"]
        seq = np.arange(len(d)) - np.searchsorted(d, d, side="left") + 1
        requested = np.flatnonzero(cols["type"] == TYPES.index("dossier.supplement_requested"))
        bits = (cols["docs"][requested, None] >> np.arange(len(self.proc.documents))) & 1
        doc_row, doc = np.nonzero(bits)
        log = EventLog(
            dossier=d, procedure=np.zeros(len(d), dtype=np.int64),
            step=cols["step"].astype(np.int64), type=cols["type"].astype(np.int64),
            agency=cols["agency"].astype(np.int64), actor=cols["actor"].astype(np.int64),
            outcome=cols["outcome"].astype(np.int64), task=cols["task"].astype(np.int64),
            at=cols["at"].astype(np.float64), due=cols["due"].astype(np.float64),
            late=cols["late"].astype(bool), seq=seq, doc_event=requested[doc_row],
            doc=doc.astype(np.int64), dossier_names=tuple(f"SYN-{i:07d}" for i in range(self.n)),
            procedure_names=(self.proc.code,), step_names=tuple(s.id for s in self.proc.steps),
            type_names=tuple(TYPES), agency_names=tuple(self.agencies),
            actor_names=tuple(self.actors), outcome_names=OUTCOMES,
            doc_names=tuple(x.id for x in self.proc.documents),
        )  # fmt: skip
        return log, cols["aux"].astype(np.int64), cols["docs"].astype(np.int64)


def generate_log(
    dossiers: int,
    *,
    seed: int = 0,
    procedure: Procedure | None = None,
    start: datetime = datetime(2026, 1, 5, 1, 0, tzinfo=UTC),
    working_days: float = 250.0,
    officers: int = 4,
    supplement_rate: float = 0.1,
    plant_bottleneck_step: str | None = None,
    bottleneck_factor: float = 8.0,
    plant_rubber_stamp_step: str | None = None,
    calendar: WorkCalendar | None = None,
) -> EventLog:
    """A synthetic event log as columnar arrays (about 19 events per dossier).

    Args:
        dossiers: Number of dossiers.
        seed: Random seed; the same arguments give the same log.
        procedure: The procedure walked; ``1.004222`` from ``procedure_defs`` if None.
        start: First arrival (aware).
        working_days: Working days over which the arrivals spread.
        officers: Officers per human step.
        supplement_rate: Chance that a receipt or review task asks for a supplement.
        plant_bottleneck_step: Step whose waiting time is ``bottleneck_factor`` times longer.
        bottleneck_factor: See above.
        plant_rubber_stamp_step: Human step that always approves (or accepts).
        calendar: Working calendar; the packaged one if None.
    """
    return _walk(**locals())[0]


def _walk(
    dossiers: int,
    *,
    seed: int,
    procedure: Procedure | None,
    start: datetime,
    working_days: float,
    officers: int,
    supplement_rate: float,
    plant_bottleneck_step: str | None,
    bottleneck_factor: float,
    plant_rubber_stamp_step: str | None,
    calendar: WorkCalendar | None,
) -> tuple[EventLog, IntArray, IntArray]:
    cal = calendar or default_calendar()
    t0 = epoch_seconds(start)
    clock = WorkClock.covering(cal, np.array([t0, t0 + working_days * 2 * 86400.0 + 30 * 86400]))
    walk = _Walk(procedure or sample_procedure(), dossiers, np.random.default_rng(seed), clock)
    plan = _Plan(
        officers=officers,
        supplement_rate=supplement_rate,
        bottleneck=plant_bottleneck_step,
        factor=bottleneck_factor,
        rubber_stamp=plant_rubber_stamp_step,
    )
    walk.run(t0, working_days * cal.hours_per_day, plan)
    return walk.build()


def generate(dossiers: int, *, seed: int = 0, **options: Any) -> list[Event]:
    """The log of :func:`generate_log` (same arguments) as typed events, in log order.

    For small sizes (tests, filling a read model): it builds one object per event.
    """
    proc = options.get("procedure") or sample_procedure()
    defaults = inspect.signature(generate_log).parameters
    if unknown := set(options) - set(defaults):
        raise TypeError(f"generate() got unexpected arguments: {', '.join(sorted(unknown))}")
    args = {
        k: options.get(k, p.default) for k, p in defaults.items() if k not in ("dossiers", "seed")
    }
    log, aux, docs = _walk(dossiers, seed=seed, **{**args, "procedure": proc})
    created = log.is_type("task.created")
    task_created = dict(zip(log.task[created].tolist(), log.at[created].tolist(), strict=True))
    return [_event(log, proc, i, int(aux[i]), int(docs[i]), task_created) for i in range(len(log))]


def _event(
    log: EventLog, proc: Procedure, i: int, aux: int, docs: int, task_created: dict[int, float]
) -> Event:
    type_, code = log.type_names[log.type[i]], log.dossier_names[log.dossier[i]]
    step = proc.steps[log.step[i]] if log.step[i] >= 0 else None
    agency = log.agency_names[log.agency[i]]
    role = getattr(step, "role", None)
    missing = [d.id for j, d in enumerate(proc.documents) if docs >> j & 1]
    at = float(log.at[i])
    since_created = at - task_created.get(int(log.task[i]), at)
    facts = _facts(type_, code, step, agency, aux, missing, since_created)
    due = log.due[i]
    timely = type_ in ("task.decided", "dossier.completed")
    return EVENT_ADAPTER.validate_python(
        {
            "event_id": event_id(f"dossier-{code}", int(log.seq[i])),
            "workflow_id": f"dossier-{code}",
            "seq": int(log.seq[i]),
            "type": type_,
            "dossier_code": code,
            "procedure_code": proc.code,
            "procedure_version": proc.version,
            "agency": proc.agency,
            "occurred_at": from_epoch(at),
            "step_id": step.id if step is not None else None,
            "step_kind": step.kind if step is not None else None,
            "actor_id": log.actor_names[log.actor[i]],
            "actor_role": role if type_.startswith("task.") and type_ != "task.created" else None,
            "handed_to": f"{role}@{agency}" if type_ == "task.created" else None,
            "outcome": log.outcome_names[log.outcome[i]] if log.outcome[i] >= 0 else None,
            "channel": "online" if type_ in ("dossier.submitted", "dossier.accepted") else None,
            "due_at": None if np.isnan(due) else from_epoch(float(due)),
            "timeliness": ("late" if log.late[i] else "on_time") if timely else None,
            **facts,
        }
    )


def _facts(
    type_: str,
    code: str,
    step: Any,
    agency: str,
    aux: int,
    missing: list[str],
    since_created: float,
) -> dict[str, Any]:
    """The type's own facts of a synthetic event, as the engine writes them."""
    task_id = f"{code}/{step.id}-{aux}" if step is not None else ""
    task = {"task_id": task_id, "task_agency": agency}
    if type_ == "task.created":
        outcomes = list(getattr(step, "outcomes", []))
        return {**task, "role": step.role, "branch_id": None, "outcomes": outcomes}
    if type_ == "task.claimed":
        return {**task, "waited_seconds": since_created}
    if type_ == "task.decided":
        return {**task, "duration_seconds": since_created, "missing_documents": missing}
    if type_ == "dossier.supplement_requested":
        return {"missing_documents": missing, "request_number": aux}
    if type_ == "verification.completed":
        checks = list(getattr(step, "checks", []))
        return {"evidence_id": f"{code}-EV", "source": "population", "checks": checks, "ok": True}
    if type_ == "fee.requested":
        return {"reference": f"{code}-FEE", "amount": 10000}
    if type_ == "fee.paid":
        return {"reference": f"{code}-FEE", "amount": 10000, "transaction_id": f"{code}-TX"}
    if type_ == "result.issued":
        result_code = f"{code}-R"
        return {
            "result_id": result_code,
            "result_type": step.result_type,
            "result_code": result_code,
        }
    if type_ == "result.delivered":
        return {"result_id": f"{code}-R", "delivery": step.delivery[aux]}
    other: dict[str, dict[str, Any]] = {
        "dossier.submitted": {
            "submission_id": f"portal-{code}",
            "documents": ["ct01"],
            "full_process_online": True,
        },
        "dossier.supplement_received": {"documents": missing},
    }
    return other.get(type_, {})
