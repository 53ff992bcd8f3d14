"""Before and after: two versions of one procedure compared on the dossiers they really ran.

Each dossier belongs to the version it was submitted under (pinned for its whole life). The
samples are the dossiers submitted in the period (``start`` inclusive, ``end`` exclusive):

* **lead time**: completed dossiers, accepted → completed in working hours, supplement waits
  excluded (``_derive``); **on time**: the share of completed dossiers not late by the one
  rule of ``_timeliness``;
* **supplement rate**: the share of dossiers with at least one supplement request;
  **refusals**: the share refused at receipt or rejected later;
* **per step**: the waiting and working hours of each task (a step only one version has is
  listed, untested).

Each figure of B is set against A's: the difference with its bootstrap interval (medians for
hours, shares for rates), Cliff's delta and the Mann-Whitney p-value (``_stats``). A
difference is reported only when both agree: the interval excludes zero and p < 0.05.

Dossiers submitted under A but still open when B came into force (B's ``effective_from``,
else its first dossier) ran partly alongside B's: they are left out of A and reported apart.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time
from typing import Any, Literal

import numpy as np

from motcua.analysis._derive import as_of, clock_for, derive
from motcua.analysis._log import BoolArray, EventLog
from motcua.analysis._percentile import PERCENTILE_METHOD
from motcua.analysis._stats import (
    CONFIDENCE,
    MIN_SAMPLE,
    SMALL_SAMPLE_WHY,
    Interval,
    Statistic,
    bootstrap_pair,
    cliffs_delta,
    mann_whitney,
    median,
)
from motcua.analysis._timeliness import TIMELINESS_NOTE
from motcua.analysis._worktime import FloatArray, epoch_seconds, from_epoch
from motcua.calendar import WorkCalendar, default_calendar
from motcua.definitions import Procedure
from motcua.dossier import ENDINGS

SIGNIFICANCE = 0.05
Verdict = Literal["lower", "higher", "no detectable difference", "not tested"]


@dataclass(frozen=True)
class Effect:
    """One figure of A and of B, and how B differs (see the module docstring)."""

    figure: str
    a: Interval
    b: Interval
    difference: Interval
    cliffs_delta: float | None
    p_value: float | None
    n_a: int
    n_b: int
    verdict: Verdict


@dataclass(frozen=True)
class StepEffect:
    step: str
    waiting: Effect
    working: Effect


@dataclass(frozen=True)
class Straddling:
    """A's dossiers still open when B came into force."""

    dossiers: int
    completed: int
    lead_median_hours: float | None


@dataclass(frozen=True)
class Comparison:
    procedure: str
    version_a: int
    version_b: int
    b_in_force: str | None
    dossiers_a: int
    dossiers_b: int
    figures: list[Effect]
    steps: list[StepEffect]
    straddling: Straddling
    warnings: list[str] = field(default_factory=list)
    confidence: float = CONFIDENCE
    significance: float = SIGNIFICANCE
    percentile_method: str = PERCENTILE_METHOD
    timeliness: str = TIMELINESS_NOTE

    def figure(self, name: str) -> Effect:
        """The effect named ``name`` (e.g. ``"lead_hours"``)."""
        return next(f for f in self.figures if f.figure == name)

    def to_dict(self) -> dict[str, Any]:
        """The result as plain JSON-ready data."""
        return asdict(self)

    def to_json(self) -> str:
        """The result as a JSON document."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)


def effect(figure: str, a: FloatArray, b: FloatArray, statistic: Statistic, seed: int) -> Effect:
    """B against A on one figure (an empty sample leaves it untested)."""
    interval_a, interval_b, difference = bootstrap_pair(a, b, statistic, seed=seed)
    test = mann_whitney(a, b)
    verdict: Verdict = "not tested"
    if test is not None and difference.value is not None:
        verdict = "no detectable difference"
        if test.p_value < SIGNIFICANCE and difference.excludes(0.0):
            verdict = "lower" if difference.value < 0 else "higher"
    return Effect(
        figure=figure,
        a=interval_a,
        b=interval_b,
        difference=difference,
        cliffs_delta=cliffs_delta(a, b),
        p_value=None if test is None else test.p_value,
        n_a=len(a),
        n_b=len(b),
        verdict=verdict,
    )


def _share(values: FloatArray) -> FloatArray:
    return np.asarray(values.mean(axis=-1), dtype=np.float64)


def _first(log: EventLog, *types: str) -> FloatArray:
    """Per dossier, the first instant of an event of one of ``types`` (NaN when none)."""
    mask = np.zeros(len(log), dtype=bool)
    for name in types:
        mask |= log.is_type(name)
    out = np.full(len(log.dossier_names), np.nan)
    np.fmin.at(out, log.dossier[mask], log.at[mask])
    return out


def compare(
    log: EventLog,
    versions: Mapping[str, int],
    a: Procedure,
    b: Procedure,
    *,
    calendar: WorkCalendar | None = None,
    now: datetime | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    b_in_force: datetime | None = None,
    seed: int = 0,
) -> Comparison:
    """Compare versions ``a`` and ``b`` on ``log`` (one procedure's events; ``versions`` maps
    each dossier code to its version), as of ``now`` (default: the log's last event)."""
    log = log.select(procedure=a.code)
    at = as_of(log, None if now is None else epoch_seconds(now))
    tasks, dossiers = derive(log, clock_for(log, calendar, at), at)
    version = np.array([versions.get(code, -1) for code in log.dossier_names], dtype=np.int64)
    submitted = _first(log, "dossier.submitted")
    lo = -np.inf if start is None else epoch_seconds(start)
    hi = np.inf if end is None else epoch_seconds(end)
    period = (submitted >= lo) & (submitted < hi)
    in_b = period & (version == b.version)
    in_force = _in_force(b, b_in_force, submitted[in_b], calendar or default_calendar())
    ended = _first(log, "dossier.completed", *sorted(ENDINGS))
    straddles = (version == a.version) & period & (submitted < in_force) & ~(ended < in_force)
    in_a = period & (version == a.version) & ~straddles
    lead_ok = dossiers.completed & np.isfinite(dossiers.lead)
    refused = np.isfinite(_first(log, "dossier.refused", "dossier.rejected"))

    def pair(mask: BoolArray, values: np.ndarray) -> tuple[FloatArray, FloatArray]:
        values = values.astype(np.float64)
        return values[in_a & mask], values[in_b & mask]

    figures = [
        effect("lead_hours", *pair(lead_ok, dossiers.lead), median, seed),
        effect("on_time_rate", *pair(lead_ok, ~dossiers.late), _share, seed),
        effect("supplement_rate", *pair(period, dossiers.supplements > 0), _share, seed),
        effect("refusal_rate", *pair(period, refused), _share, seed),
    ]
    steps = []
    for s in np.unique(tasks.step[tasks.counted]).tolist():
        name = log.step_names[s] if s >= 0 else "(none)"
        mine = tasks.counted & (tasks.step == s)
        task_a, task_b = mine & in_a[tasks.dossier], mine & in_b[tasks.dossier]
        steps.append(
            StepEffect(
                step=name,
                waiting=effect(
                    "waiting_hours", tasks.waiting[task_a], tasks.waiting[task_b], median, seed
                ),
                working=effect(
                    "working_hours", tasks.working[task_a], tasks.working[task_b], median, seed
                ),
            )
        )
    straddling_lead = dossiers.lead[straddles & lead_ok]
    return Comparison(
        procedure=a.code,
        version_a=a.version,
        version_b=b.version,
        b_in_force=None if not np.isfinite(in_force) else from_epoch(in_force).isoformat(),
        dossiers_a=int(in_a.sum()),
        dossiers_b=int(in_b.sum()),
        figures=figures,
        steps=steps,
        straddling=Straddling(
            dossiers=int(straddles.sum()),
            completed=len(straddling_lead),
            lead_median_hours=float(np.median(straddling_lead)) if len(straddling_lead) else None,
        ),
        warnings=_warnings(figures[0]),
    )


def _in_force(
    b: Procedure, given: datetime | None, submitted_b: FloatArray, calendar: WorkCalendar
) -> float:
    """When B came into force: as given, B's ``effective_from`` (a day: midnight in the
    calendar's zone), else its first dossier."""
    declared = given or getattr(b, "effective_from", None)
    if isinstance(declared, datetime):
        return epoch_seconds(declared)
    if isinstance(declared, date):
        return epoch_seconds(datetime.combine(declared, time(), tzinfo=calendar.tz))
    return float(submitted_b.min()) if len(submitted_b) else np.inf


def _warnings(lead: Effect) -> list[str]:
    small = [f"{v} has {n}" for v, n in (("A", lead.n_a), ("B", lead.n_b)) if n < MIN_SAMPLE]
    if not small:
        return []
    return [f"too few completed dossiers to say ({', '.join(small)}): {SMALL_SAMPLE_WHY}"]
