"""Benchmark: the bottleneck report on synthetic logs of 1M and 10M events, against pm4py.

The baseline is pm4py's ``discover_performance_dfg`` (the directly-follows graph with the time
between activities — the usual first look at where a process loses time) on the same 1M-event
log, measured in the same run. motcua's report does more than that graph (waiting vs working
time in working hours, SLA breaches, supplement loops, cut candidates), so the ratio is
conservative. Each measurement runs in a fresh process, so its peak memory is its own.

Run: ``make bench`` or ``.venv/bin/python -m benchmarks.analyzer [--sizes 1000000 10000000]``.
pm4py is AGPL and only a dev dependency: it is imported here, never by motcua.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import time
from typing import Any

EVENTS_PER_DOSSIER_SAMPLE = 2_000


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _dossiers_for(events: int) -> int:
    from motcua.analysis import generate_log

    sample = generate_log(EVENTS_PER_DOSSIER_SAMPLE, seed=1)
    return max(1, round(events / (len(sample) / EVENTS_PER_DOSSIER_SAMPLE)))


def motcua_report(dossiers: int) -> dict[str, Any]:
    """Generate the log, then time the bottleneck report and the cut candidates on it."""
    from motcua.analysis import bottlenecks, cut_candidates, generate_log, sample_procedure

    log = generate_log(dossiers, seed=7, plant_bottleneck_step="review")
    began = time.perf_counter()
    report = bottlenecks(log, by_agency=True)
    procedure = sample_procedure()
    cut_candidates(report, log, definitions={procedure.code: procedure})
    return {"events": len(log), "seconds": time.perf_counter() - began, "peak_mb": _peak_mb()}


def pm4py_dfg(dossiers: int) -> dict[str, Any]:
    """The same log as a pandas frame (case, activity, timestamp), then pm4py's performance
    DFG on it; only the discovery is timed."""
    import numpy as np
    import pandas as pd
    import pm4py

    from motcua.analysis import generate_log

    log = generate_log(dossiers, seed=7, plant_bottleneck_step="review")
    steps = np.asarray((*log.step_names, ""), dtype=object)  # -1: no step
    types = np.asarray(log.type_names, dtype=object)
    activity = np.where(log.step >= 0, steps[log.step], types[log.type])
    frame = pd.DataFrame(
        {
            "case:concept:name": np.asarray(log.dossier_names, dtype=object)[log.dossier],
            "concept:name": activity,
            "time:timestamp": pd.to_datetime(log.at, unit="s", utc=True),
        }
    )
    began = time.perf_counter()
    pm4py.discover_performance_dfg(frame)
    return {"events": len(log), "seconds": time.perf_counter() - began, "peak_mb": _peak_mb()}


def _in_child(function: Any, dossiers: int) -> dict[str, Any]:
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        result: dict[str, Any] = pool.apply(function, (dossiers,))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.analyzer", description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    args = parser.parse_args()
    rows = []
    for size in args.sizes:
        dossiers = _dossiers_for(size)
        rows.append(("motcua report", _in_child(motcua_report, dossiers)))
        print(f"motcua report, {rows[-1][1]['events']:,} events: {rows[-1][1]['seconds']:.2f} s")
        if size == min(args.sizes):
            rows.append(("pm4py performance DFG", _in_child(pm4py_dfg, dossiers)))
            print(f"pm4py DFG, {rows[-1][1]['events']:,} events: {rows[-1][1]['seconds']:.2f} s")
    print()
    print(f"{'what':<24}{'events':>12}{'seconds':>10}{'peak MB':>10}")
    for name, row in rows:
        print(f"{name:<24}{row['events']:>12,}{row['seconds']:>10.2f}{row['peak_mb']:>10.0f}")
    ours = next(r for n, r in rows if n == "motcua report")
    theirs = next((r for n, r in rows if n.startswith("pm4py")), None)
    if theirs is not None:
        print(
            f"\non the same {ours['events']:,}-event log, motcua's report is "
            f"{theirs['seconds'] / ours['seconds']:.1f}x as fast as pm4py's performance DFG"
        )


if __name__ == "__main__":
    main()
