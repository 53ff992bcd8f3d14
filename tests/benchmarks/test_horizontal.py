"""The horizontal benchmark's command line and its CPU readings (no stack, no timing)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from benchmarks import horizontal


def test_a_bad_count_is_one_line_naming_the_options(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        horizontal.parse_args(["--dossiers", "0"])
    assert exit_.value.code == 2
    error = capsys.readouterr().err
    assert "--dossiers and --in-flight must be at least 1, --warmup at least 0" in error


def test_cpu_is_read_for_a_live_process_and_zero_for_a_gone_one() -> None:
    busy, total = horizontal.busy_cores()
    assert 0 < busy <= total
    # Burn a little CPU in a child, then read it after it has exited but before it is reaped.
    child = subprocess.Popen([sys.executable, "-c", "sum(range(3_000_000))"])
    os.waitid(os.P_PID, child.pid, os.WEXITED | os.WNOWAIT)
    assert horizontal.process_cpu(child.pid) > 0
    child.wait()
    assert horizontal.process_cpu(child.pid) == 0.0
