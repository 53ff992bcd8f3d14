"""The bottleneck report per step, from the task and dossier tables (``_derive``).

Waiting, working and lead times are defined in ``_derive``: open tasks and open dossiers count
with their time so far (right-censored) as of the report's instant, and an open task past its
SLA is a breach. A step's *share* of lead time is the time its tasks spent inside the lead
windows of the lead-time table's dossiers divided by those dossiers' total lead time, so shares
of all steps and the time between tasks add to 1. Percentiles follow ``_percentile``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

import numpy as np

from motcua.analysis._derive import Dossiers, Tasks, as_of, clock_for, derive
from motcua.analysis._log import EventLog, IntArray
from motcua.analysis._percentile import PERCENTILE_METHOD, Quantiles, grouped_quantiles
from motcua.analysis._timeliness import TIMELINESS_NOTE
from motcua.analysis._worktime import epoch_seconds, from_epoch
from motcua.calendar import WorkCalendar

UNCLAIMED = "(unclaimed)"
CENSORED_NOTE = (
    "Open tasks and open dossiers count with their time so far, up to the report's instant "
    "(right-censored: their final times will be longer); an open task past its SLA is a breach."
)


@dataclass(frozen=True)
class StepStats:
    """The figures of one step (optionally narrowed to one agency and/or one officer)."""

    procedure: str
    step: str
    agency: str | None
    officer: str | None
    tasks: int
    decided: int
    open: int
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

    @property
    def timed(self) -> bool:
        """Whether any time was measured: a task decided or open, inside some lead window."""
        measured = self.waiting_hours.median is not None or self.working_hours.median is not None
        return measured and self.share > 0


def by_share(steps: Iterable[StepStats]) -> list[StepStats]:
    """Largest share of lead time first; steps with no time measured last, whatever their
    place in the process, so an empty row never heads the table."""
    return sorted(steps, key=lambda s: (not s.timed, -s.share))


@dataclass(frozen=True)
class ProcedureLead:
    """Lead time of a procedure's completed and open dossiers (supplement waits excluded; open
    ones so far), and the share of them on time."""

    procedure: str
    dossiers: int
    completed: int
    open: int
    late: int
    lead_hours: Quantiles
    deadline_hours: float | None
    on_time_rate: float | None


@dataclass(frozen=True)
class BottleneckReport:
    """Per-step figures, optionally by agency and by officer, and the procedures' lead times.

    Attributes:
        as_of: The instant open tasks and dossiers are measured up to (ISO 8601, UTC).
        flag_disagreements: Completed dossiers whose recorded timeliness flag disagrees with
            the timeliness computed from their events (the report uses the computed one).
        notes: How to read the figures (printed as footnotes).
    """

    procedures: tuple[ProcedureLead, ...]
    steps: tuple[StepStats, ...]
    by_agency: tuple[StepStats, ...] = ()
    by_officer: tuple[StepStats, ...] = ()
    as_of: str = ""
    flag_disagreements: tuple[str, ...] = ()
    notes: tuple[str, ...] = (CENSORED_NOTE, TIMELINESS_NOTE, PERCENTILE_METHOD)

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
    now: datetime | None = None,
) -> BottleneckReport:
    """The bottleneck report of ``log``.

    Args:
        log: The event log.
        calendar: The working calendar; the packaged Vietnamese one if None.
        procedure: Only this procedure code.
        since: Only dossiers whose first event is at or after this instant.
        by_agency: Also break each step down by agency.
        by_officer: Also break each step down by (agency and) officer: the decider, or the
            officer holding an open task's claim, or "(unclaimed)".
        now: The as-of instant for open tasks and dossiers; the log's last event if None.
    """
    log = log.select(procedure=procedure, since=since)
    at = as_of(log, None if now is None else epoch_seconds(now))
    tasks, dossiers = derive(log, clock_for(log, calendar, at), at)
    return BottleneckReport(
        procedures=procedure_leads(log, dossiers),
        steps=step_stats(log, tasks, dossiers),
        by_agency=step_stats(log, tasks, dossiers, agency=True) if by_agency else (),
        by_officer=step_stats(log, tasks, dossiers, agency=True, officer=True)
        if by_officer
        else (),
        as_of=from_epoch(at).isoformat(),
        flag_disagreements=tuple(
            log.dossier_names[i]
            for i in np.flatnonzero(dossiers.completed & (dossiers.late != dossiers.recorded_late))
        ),
    )


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
    table = dossiers.in_table
    lead_total = np.bincount(
        dossiers.procedure[table], weights=dossiers.lead[table], minlength=len(log.procedure_names)
    )
    group_lead = lead_total[tasks.procedure]
    wait_share = np.bincount(gid, weights=tasks.waiting_in_lead / np.maximum(group_lead, 1e-9))
    work_share = np.bincount(gid, weights=tasks.working_in_lead / np.maximum(group_lead, 1e-9))
    counted = tasks.counted
    with_sla = counted & np.isfinite(tasks.due)
    breach = tasks.breached
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
    waits = grouped_quantiles(gid[counted], tasks.waiting[counted], n)
    works = grouped_quantiles(gid[counted], tasks.working[counted], n)
    counts = np.bincount(gid, minlength=n)
    n_decided = np.bincount(gid, weights=decided, minlength=n)
    n_open = np.bincount(gid, weights=tasks.open, minlength=n)
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
                officer=(log.actor_names[o] if o >= 0 else UNCLAIMED) if officer else None,
                tasks=int(counts[i]),
                decided=int(n_decided[i]),
                open=int(n_open[i]),
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
    """Lead time, deadline and on-time rate of each procedure's completed and open dossiers."""
    n = len(log.procedure_names)
    known = dossiers.procedure >= 0
    table = dossiers.in_table & known
    leads = grouped_quantiles(dossiers.procedure[table], dossiers.lead[table], n)
    total = np.bincount(dossiers.procedure[known], minlength=n)
    completed = np.bincount(dossiers.procedure[table & dossiers.completed], minlength=n)
    still_open = np.bincount(dossiers.procedure[table & dossiers.open], minlength=n)
    judged = completed + still_open
    late = np.bincount(dossiers.procedure[table & dossiers.late], minlength=n)
    deadlines = grouped_quantiles(dossiers.procedure[known], dossiers.deadline[known], n)
    return tuple(
        ProcedureLead(
            procedure=name,
            dossiers=int(total[p]),
            completed=int(completed[p]),
            open=int(still_open[p]),
            late=int(late[p]),
            lead_hours=leads[p],
            deadline_hours=deadlines[p].median,
            on_time_rate=float(1 - late[p] / judged[p]) if judged[p] else None,
        )
        for p, name in enumerate(log.procedure_names)
    )
