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
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from motcua.analysis._log import EventLog, IntArray
from motcua.analysis._synthetic_events import typed_event
from motcua.analysis._synthetic_walk import Plan, Walk
from motcua.analysis._worktime import WorkClock, epoch_seconds
from motcua.calendar import WorkCalendar, default_calendar
from motcua.definitions import Procedure, load_catalog
from motcua.dossier import Event

SAMPLE_PROCEDURE = "1.004222"


@lru_cache(maxsize=4)
def sample_procedure(code: str = SAMPLE_PROCEDURE) -> Procedure:
    """A procedure from the project's ``procedure_defs`` (permanent residence by default)."""
    return load_catalog(Path(__file__).resolve().parents[2] / "procedure_defs").latest(code)


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
    walk = Walk(procedure or sample_procedure(), dossiers, np.random.default_rng(seed), clock)
    plan = Plan(
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
    return [
        typed_event(log, proc, i, int(aux[i]), int(docs[i]), task_created) for i in range(len(log))
    ]
