"""``motcua up`` as a test runs it: a real process tree on free loopback ports, its output read
line by line, and every process it started found again afterwards through ``/proc``."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import ROOT
from tests.ports import reserve_port

STARTED = re.compile(r"^supervisor \| (\S+) (?:re)?started \(pid (\d+)\)")


def up_environment(var: Path, **extra: str) -> dict[str, str]:
    """The environment of a development ``motcua up`` under ``var`` on ports reserved for the
    test (tests/ports.py): ports ``motcua up`` picked itself (setting 0) could be picked by a
    stack another test process starts at the same moment."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("MOTCUA_")}
    return environ | {
        "MOTCUA_ENVIRONMENT": "development",
        "MOTCUA_DEV_MODE": "true",
        "MOTCUA_VAR_DIR": str(var),
        "MOTCUA_DATABASE_URL": f"sqlite:///{var / 'motcua.db'}",
        "MOTCUA_TEMPORAL_ADDRESS": f"127.0.0.1:{reserve_port(0, 1000)}",  # and its UI
        "MOTCUA_METRICS_PORT": str(reserve_port()),
        "MOTCUA_SIMULATOR_BASE_PORT": str(reserve_port(*range(7))),  # six and the idp
        "MOTCUA_API_PORT": str(reserve_port()),
        "COLUMNS": "200",
        **extra,
    }


class Stack:
    """A running ``motcua up``: its lines so far and the processes it says it started."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.process = process
        self.lines: list[str] = []
        self._changed = threading.Condition()
        self._ended = False
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            with self._changed:
                self.lines.append(line.rstrip("\n"))
                self._changed.notify_all()
        with self._changed:
            self._ended = True
            self._changed.notify_all()

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def wait_for(self, pattern: str, timeout: float = 240) -> re.Match[str]:
        """The first line matching ``pattern``, waiting for it (a failure shows the output)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for line in self.lines:
                    if found := re.search(pattern, line):
                        return found
                left = deadline - time.monotonic()
                assert not self._ended, f"ended, no {pattern!r}:\n{self.output[-4000:]}"
                assert left > 0, f"no {pattern!r} in {timeout:g} s:\n{self.output[-4000:]}"
                self._changed.wait(min(left, 1.0))

    def pids(self, name: str | None = None) -> list[int]:
        """The processes it started (and restarted), of role ``name`` or all."""
        found = [STARTED.match(line) for line in self.lines]
        return [int(m[2]) for m in found if m and (name is None or m[1] == name)]

    def wait(self, timeout: float = 120) -> int:
        code = self.process.wait(timeout=timeout)
        self._reader.join(timeout=10)
        return code


@contextmanager
def running_up(environ: dict[str, str], *args: str) -> Iterator[Stack]:
    """Run ``motcua up ARGS``; whatever is still running at the end is killed, tree and all."""
    process = subprocess.Popen(
        [sys.executable, "-m", "motcua.cli", "up", *args],
        cwd=ROOT,
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    stack = Stack(process)
    try:
        yield stack
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        for pid in stack.pids():  # each child leads its own process group
            for member in group_members(pid):
                os.kill(member, signal.SIGKILL)
        stack._reader.join(timeout=10)


def alive(pid: int) -> bool:
    """``pid`` is a process that has not exited (a zombie has)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


def group_members(pgid: int) -> list[int]:
    """The live processes of process group ``pgid`` (read from ``/proc``, no psutil)."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rpartition(")")[2].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(int(entry.name))
    return members


def motcua(environ: dict[str, str], *args: str) -> str:
    """Run a ``motcua`` command as a person would; its output (it must succeed)."""
    done = subprocess.run(
        [sys.executable, "-m", "motcua.cli", *args],
        cwd=ROOT, env=environ, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def submit_permanent_residence(tmp_path: Path, environ: dict[str, str], submission: str) -> str:
    """``motcua submit`` an online permanent residence dossier (commune police); its code."""
    path = tmp_path / f"{submission}.json"
    path.write_text(
        json.dumps(
            {
                "procedure": "1.004222",
                "channel": "online",
                "submission_id": submission,
                "applicant": {"personal_id": "001090012345", "full_name": "Nguyễn Văn An"},
                "documents": [{"id": "ct01"}],
            }
        )
    )
    out = motcua(environ, "submit", str(path))
    found = re.search(r"dossier (\S+) submitted", out)
    assert found, out
    return found[1]
