"""The agencies' simulators in a process of their own, as `motcua up` runs them.

The systems they stand in for (population database, payment platform, notification gateway…)
run on other machines; served from the benchmark's own process they would take the GIL from
the engine under test, the more so for the side that calls them more often. Their CPU still
counts: the process is a Python descendant (see `_cpu`), shown on a line of its own."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from benchmarks._cpu import SIMULATORS_APART, count_process_as
from motcua.simulators import KIND_OF

ROOT = Path(__file__).resolve().parent.parent
READY = "all simulators serving"


@contextmanager
def simulators_apart(*, ready_within: float = 60) -> Iterator[dict[str, str]]:
    """Serve every simulator on free ports in a child process; yield their URLs by name."""
    command = [sys.executable, "-m", "motcua.cli", "sim", "all", "--base-port", "0"]
    # Warnings only, as the benchmark's own process logs: an access line per request would
    # cost the simulators a third of their CPU.
    environ = {**os.environ, "MOTCUA_LOG_LEVEL": "WARNING"}
    process = subprocess.Popen(
        command, cwd=ROOT, env=environ, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        urls = _read_urls(process, ready_within)
        count_process_as(process.pid, SIMULATORS_APART)
        yield urls
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _read_urls(process: subprocess.Popen[str], within: float) -> dict[str, str]:
    """The URLs `motcua sim all` prints (``name (kind) url``), up to its ready line."""
    assert process.stdout is not None
    urls: dict[str, str] = {}
    said: list[str] = []
    deadline = time.monotonic() + within
    for line in process.stdout:
        said.append(line)
        if line.startswith(READY):
            threading.Thread(target=process.stdout.read, daemon=True).start()  # keep it drained
            return urls
        name, *rest = line.split()
        if name in KIND_OF and rest:
            urls[name] = rest[-1]
        if time.monotonic() > deadline:
            break
    raise RuntimeError("the simulators did not start:\n" + "".join(said[-20:]))
