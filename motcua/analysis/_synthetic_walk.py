"""The walk behind the synthetic logs (:mod:`._synthetic`): all dossiers through a procedure's
steps at once, array by array, their events collected as columns."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from motcua.analysis._log import EventLog, IntArray
from motcua.analysis._worktime import FloatArray, WorkClock
from motcua.definitions import ApprovalStep, Procedure, ReceiptStep, ReviewStep

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
class Plan:
    """What a walk plants: staffing, supplement rate, a bottleneck and a rubber stamp."""

    officers: int
    supplement_rate: float
    bottleneck: str | None
    factor: float
    rubber_stamp: str | None


class Walk:
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

    def run(self, t0: float, span_hours: float, plan: Plan) -> None:
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
        plan: Plan,
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
