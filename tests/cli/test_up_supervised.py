"""``motcua up`` as supervised processes: a signal stops the whole tree, a crashed worker is
restarted and reported while the demo runs to its summary, a port in use is one line. (SIGINT,
Ctrl-C, stops the tree of tests/cli/test_up_adapters.py: a stack's start costs 20 s.)"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.infra.running_stack import (
    alive,
    group_members,
    running_up,
    up_environment,
)
from tests.ports import port_is_free

ROLES = {"temporal", "simulators", "worker", "agency:provincial-court", "outbox", "api"}


def test_sigterm_stops_every_process_it_started(tmp_path: Path) -> None:
    # The court runs its own worker: `up` starts it as a process of its own too.
    environ = up_environment(tmp_path / "var", MOTCUA_SEPARATE_AGENCIES="provincial-court")
    temporal_port = int(environ["MOTCUA_TEMPORAL_ADDRESS"].rpartition(":")[2])
    with running_up(environ) as stack:
        console = stack.wait_for(r"^console\s+(http://127\.0\.0\.1:\d+/)$")
        stack.wait_for("^Serving; press Ctrl-C to stop.")
        started = {line.split()[2] for line in stack.lines if " started (pid " in line}
        assert started == ROLES, stack.output
        # The dev server's output is in the file the banner names, not on the console.
        log = stack.wait_for(r"^Temporal log\s+(\S+)$")[1]
        assert log == str(tmp_path / "var" / "temporal.log")
        assert "Temporal Server:" in Path(log).read_text()
        assert not [line for line in stack.lines if line.startswith("temporal ")]
        children = stack.pids()
        assert all(alive(pid) for pid in children)
        assert stack.lines.index(console[0]) < stack.lines.index(
            next(line for line in stack.lines if line.startswith("API "))
        )  # the console's address comes first
        stack.process.send_signal(signal.SIGTERM)
        assert stack.wait() == 0, stack.output
    assert "motcua stopped." in stack.output
    assert [pid for pid in children if alive(pid)] == []
    assert [pid for pid in children if group_members(pid)] == []  # nor anything they started
    assert port_is_free(temporal_port)  # the dev server is gone: the next `motcua up` can start
    assert "Traceback" not in stack.output


def test_a_killed_worker_is_restarted_and_the_demo_runs_to_its_summary(tmp_path: Path) -> None:
    """`make run` in miniature (dev server, workers, demo load, summary, clean shutdown), with
    the worker killed under the load: one stack checks both, as each costs a stack's start."""
    environ = up_environment(tmp_path / "var")
    # A fixed clock: this is about the restart, and on a busy machine the adapting clock can slow
    # to its floor before an officer decides anything in the minute the demo runs.
    demo = ["--demo", "8", "--no-wait", "--time-scale", "20000", "--demo-seconds", "60"]
    demo.append("--no-adapt-clock")
    with running_up(environ, *demo) as stack:
        stack.wait_for(r"^supervisor \| demo started")
        [worker] = stack.pids("worker")
        os.kill(worker, signal.SIGKILL)
        stack.wait_for(r"worker exited \(signal SIGKILL\); restarting in 1 s \(crash 1 within")
        stack.wait_for(r"^supervisor \| worker restarted \(pid \d+\)")
        stack.wait_for(r"^supervisor \| demo finished", timeout=300)
        assert stack.wait() == 0, stack.output
    # Dossiers went on after the worker came back: officers' decisions were recorded. (The demo's
    # own summary may count none of them: its clock slows on a busy machine, docs/demo.md.)
    assert _decisions(tmp_path / "var" / "motcua.db") > 0, stack.output
    assert "supervisor | demo finished" in stack.output
    assert [pid for pid in stack.pids() if alive(pid) or group_members(pid)] == []
    # The addresses, then the demo's summary: dossiers filed, the officers' task lag measured.
    out = stack.output
    assert "Temporal UI" in out and re.search(r"API\s+http://127\.0\.0\.1:\d+/docs", out), out
    received = re.search(r"received\s*│\s*(\d+)", out)
    assert received is not None and int(received[1]) > 0, out
    assert re.search(r"task\s+lag\s+p50", out) and "Where to look next" in out, out
    assert "motcua stopped." in out
    assert (tmp_path / "var" / "temporal.db").exists()  # the dev server persisted its state
    # ... in a write-ahead log, so an update does not wait for a sync of the whole file.
    with contextlib.closing(sqlite3.connect(tmp_path / "var" / "temporal.db")) as db:
        assert db.execute("pragma journal_mode").fetchone() == ("wal",)


@pytest.mark.parametrize(
    ("setting", "what"),
    [
        ("MOTCUA_API_PORT", "API"),
        ("MOTCUA_TEMPORAL_ADDRESS", "Temporal"),
        ("MOTCUA_SIMULATOR_BASE_PORT", "population simulator"),
        ("MOTCUA_METRICS_PORT", "metrics"),
    ],
)
def test_a_port_in_use_is_one_line_naming_its_setting(
    tmp_path: Path, setting: str, what: str
) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        value = f"127.0.0.1:{port}" if setting == "MOTCUA_TEMPORAL_ADDRESS" else str(port)
        environ = up_environment(tmp_path / "var", **{setting: value})
        done = subprocess.run(
            [sys.executable, "-m", "motcua.cli", "up", "--no-wait"],
            cwd=ROOT, env=environ, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
    assert done.returncode == 1
    said = (done.stdout + done.stderr).strip().splitlines()
    assert said == [f"error: port {port} ({what}) is in use; set {setting} to move it"]
    assert not (tmp_path / "var" / "temporal.db").exists()  # nothing was started


def _decisions(database: Path) -> int:
    with sqlite3.connect(database) as db:
        [(count,)] = db.execute("SELECT count(*) FROM events WHERE type = 'task.decided'")
    return int(count)
