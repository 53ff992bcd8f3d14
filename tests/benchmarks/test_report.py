"""The throughput benchmark's verdicts and its profile summary, on made-up figures (no timing)."""

from __future__ import annotations

from pathlib import Path

from benchmarks._cpu import CpuUsage, role_of
from benchmarks._measure import Measurement
from benchmarks._report import X, targets
from benchmarks.profile_summary import read_profile, summarise
from benchmarks.throughput import order, parse_args, window_sizes


def _run(name: str, rate: float, cpu_seconds: float, *, concurrency: int = 10) -> Measurement:
    return Measurement(
        name=name,
        concurrency=concurrency,
        dossiers=100,
        seconds=100 / rate,
        latencies=[1.0],
        cpu=CpuUsage(python=cpu_seconds * 0.75, server=cpu_seconds * 0.25, by_role={}),
    )


def test_targets_report_both_ratios_and_verdicts() -> None:
    met = (_run("motcua", 6.0, 30.0), _run("baseline", 4.0, 60.0))
    missed = (_run("motcua", 4.0, 60.0, concurrency=3), _run("baseline", 4.0, 60.0, concurrency=3))

    lines = targets([met, missed]).replace(X, "x").splitlines()

    assert lines[-2].split() == ["10", "6.00", "/", "4.00", "1.50x", "met", "300", "/", "600",
                                 "0.50x", "met"]  # fmt: skip
    assert lines[-1].split() == ["3", "4.00", "/", "4.00", "1.00x", "NOT", "met", "600", "/",
                                 "600", "1.00x", "NOT", "met"]  # fmt: skip


def test_thread_roles_follow_python_thread_names() -> None:
    assert role_of("MainThread") == "event loop"
    assert role_of("temporal_workflow__3") == "workflow threads"
    assert role_of("bench_activity_0") == "activity threads"
    assert role_of(None) == "SDK core (Rust)"


def test_profile_summary_leaves_out_waits_and_splits_by_area(tmp_path: Path) -> None:
    raw = tmp_path / "motcua-c10.txt"
    raw.write_text(
        "thread (1): MainThread;run (asyncio/runners.py:190);"
        "EpollSelector.select (selectors.py:468) 50\n"
        "thread (2): bench_activity_0;project (activities/store.py:40);"
        "project (motcua/store/_projector.py:60);"
        "DefaultDialect.do_execute (sqlalchemy/engine/default.py:951) 30\n"
        "thread (3): temporal_workflow__0;_RunningWorkflow.activate "
        "(temporalio/worker/_workflow.py:700);_Instance._run_code "
        "(temporalio/worker/workflow_sandbox/_runner.py:193) 10\n"
    )

    summary = summarise(read_profile(raw), top=3)

    assert summary.startswith("40 busy samples (50 samples of waiting threads left out)")
    assert "projector (motcua/store/_projector.py)                          30   75.0 %" in summary
    assert "SQLite statement execution (do_execute)                       30   75.0 %" in summary
    assert "workflow sandbox (temporalio workflow_sandbox)                  10   25.0 %" in summary


def test_a_sides_windows_add_up_to_one_measurement() -> None:
    first = Measurement(
        name="motcua", concurrency=10, dossiers=50, seconds=10.0, latencies=[1.0, 2.0],
        cpu=CpuUsage(python=5.0, server=3.0, by_role={"event loop": 2.0}),
        client_calls=6.0, log_rows=20.0, notes=["a"],
    )  # fmt: skip
    second = Measurement(
        name="motcua", concurrency=10, dossiers=25, seconds=15.0, latencies=[3.0],
        cpu=CpuUsage(python=4.0, server=3.0, by_role={"event loop": 1.0, "to_thread": 1.0}),
        history={"history events": 69.0}, client_calls=9.0, log_rows=26.0,
    )  # fmt: skip

    merged = Measurement.merged([first, second])

    assert (merged.dossiers, merged.seconds, merged.rate) == (75, 25.0, 3.0)
    assert merged.total_cpu_ms == 200.0  # 15 s of CPU over 75 dossiers
    assert merged.cpu.by_role == {"event loop": 3.0, "to_thread": 1.0}
    assert merged.latencies == [1.0, 2.0, 3.0]
    assert (merged.client_calls, merged.log_rows) == (7.0, 22.0)
    assert merged.history == {"history events": 69.0}
    assert merged.notes == ["a"]


def test_the_sides_take_turns_and_share_the_dossiers() -> None:
    assert [order(turn, "both") for turn in range(3)] == [
        ["motcua", "baseline"], ["baseline", "motcua"], ["motcua", "baseline"],
    ]  # fmt: skip
    assert window_sizes(151, 3) == [51, 50, 50]
    assert parse_args([]).windows == 3
    assert parse_args(["--side", "motcua"]).windows == 1
