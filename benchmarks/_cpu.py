"""CPU time of the benchmark's processes and of this process's threads, read from /proc.

A snapshot is taken before and after a side's timed window; the difference is what that side
cost. Processes are this one (drivers, workers, simulators: Python), its Python descendants,
and its ``temporal`` descendant (the dev server); a profiler it started is left out. Threads of
this process are grouped by role, from their Python names where they have one, so a reader can
tell the workers' CPU from the drivers' and simulators'.
Where /proc is missing every figure is 0.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

_PROC = Path("/proc")
_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
# Name prefixes of the Python threads, in the order they are tried (see `thread_role`).
ACTIVITY_THREAD_PREFIX = "bench_activity"
_ROLES = (
    ("temporal_workflow_", "workflow threads"),  # the SDK's workflow task executor (sandbox)
    (ACTIVITY_THREAD_PREFIX, "activity threads"),  # sync activities: store, baseline's log
    ("serve:", "simulators"),  # the agencies' HTTP simulators (uvicorn)
    ("asyncio_", "to_thread"),  # asyncio.to_thread: motcua's read-model inbox poller
)
# The main thread runs the event loop: drivers, async activities (HTTP adapters), SDK glue.
MAIN_ROLE = "event loop"
NATIVE_ROLE = "SDK core (Rust)"
OTHER_ROLE = "other threads"
SIMULATORS_APART = "simulator process"  # see `benchmarks._simulators`
ROLES = (MAIN_ROLE, *(role for _, role in _ROLES), NATIVE_ROLE, OTHER_ROLE, SIMULATORS_APART)
# Child processes shown on a line of their own (pid -> role), beside this process's threads.
_PROCESS_ROLES: dict[int, str] = {}


def count_process_as(pid: int, role: str) -> None:
    """Show child process ``pid``'s CPU under ``role`` (it still counts as Python's)."""
    _PROCESS_ROLES[pid] = role


def _stat(path: Path) -> tuple[str, int, float] | None:
    """(comm, ppid, utime + stime in seconds) of a /proc stat file, or None if it is gone."""
    try:
        text = path.read_text()
    except OSError:
        return None
    head, _, tail = text.rpartition(")")
    fields = tail.split()
    if len(fields) < 13:
        return None
    # After the comm: state, ppid, ...; utime and stime are the 14th and 15th fields in all.
    return head.partition("(")[2], int(fields[1]), (int(fields[11]) + int(fields[12])) / _TICK


def _descendants(root: int) -> dict[int, tuple[str, float]]:
    """Every process under ``root`` (not ``root`` itself): pid -> (comm, CPU seconds)."""
    children: dict[int, list[int]] = {}
    found: dict[int, tuple[str, float]] = {}
    for stat in _PROC.glob("[0-9]*/stat"):
        parsed = _stat(stat)
        if parsed is None:
            continue
        comm, ppid, cpu = parsed
        pid = int(stat.parent.name)
        children.setdefault(ppid, []).append(pid)
        found[pid] = (comm, cpu)
    out: dict[int, tuple[str, float]] = {}
    todo = list(children.get(root, []))
    while todo:
        pid = todo.pop()
        if pid in found:
            out[pid] = found[pid]
        todo.extend(children.get(pid, []))
    return out


def role_of(name: str | None, *, main: bool = False) -> str:
    """The role of a thread of this process, from its Python name (None: not a Python one)."""
    if main or name == "MainThread":
        return MAIN_ROLE
    if name is None:
        return NATIVE_ROLE  # no Python thread: the Temporal core's (tokio) or another native one
    for prefix, role in _ROLES:
        if name.startswith(prefix):
            return role
    return OTHER_ROLE


@dataclass
class CpuSnapshot:
    """CPU seconds used so far, per process and per thread of this process."""

    python: dict[int, float] = field(default_factory=dict)  # pid -> seconds (this + Python kids)
    server: dict[int, float] = field(default_factory=dict)  # pid -> seconds (the dev server)
    threads: dict[int, tuple[str, float]] = field(default_factory=dict)  # tid -> (role, s)

    @classmethod
    def take(cls) -> CpuSnapshot:
        snapshot = cls()
        me = os.getpid()
        own = _stat(_PROC / str(me) / "stat")
        if own is None:
            return snapshot
        snapshot.python[me] = own[2]
        for pid, (comm, cpu) in _descendants(me).items():
            if comm.startswith("temporal"):
                snapshot.server[pid] = cpu
            elif comm.startswith("python"):
                snapshot.python[pid] = cpu
                if pid in _PROCESS_ROLES:  # keyed by -pid: apart from this process's thread ids
                    snapshot.threads[-pid] = (_PROCESS_ROLES[pid], cpu)
            # Anything else (py-spy sampling this process) is not the engines' CPU.
        names = {t.native_id: t.name for t in threading.enumerate() if t.native_id is not None}
        main = threading.main_thread().native_id
        for stat in (_PROC / str(me) / "task").glob("[0-9]*/stat"):
            parsed = _stat(stat)
            if parsed is not None:
                tid = int(stat.parent.name)
                role = role_of(names.get(tid), main=tid == main)
                snapshot.threads[tid] = (role, parsed[2])
        return snapshot


@dataclass
class CpuUsage:
    """CPU seconds spent between two snapshots."""

    python: float
    server: float
    by_role: dict[str, float]

    @property
    def total(self) -> float:
        return self.python + self.server


def cpu_used(before: CpuSnapshot, after: CpuSnapshot) -> CpuUsage:
    """What was spent between ``before`` and ``after``; processes and threads that started in
    between count from zero (those that ended in between are lost, so the workers and the
    server must outlive the window)."""

    def spent(old: dict[int, float], new: dict[int, float]) -> float:
        return sum(cpu - old.get(pid, 0.0) for pid, cpu in new.items())

    by_role: dict[str, float] = {}
    for tid, (role, cpu) in after.threads.items():
        by_role[role] = by_role.get(role, 0.0) + cpu - before.threads.get(tid, (role, 0.0))[1]
    return CpuUsage(
        python=spent(before.python, after.python),
        server=spent(before.server, after.server),
        by_role=by_role,
    )
