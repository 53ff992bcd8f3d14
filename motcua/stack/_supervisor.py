"""Supervised child processes: each in a process group of its own, its output prefixed with its
name (or kept in a log file, the lines an operator needs shown), restarted with a back-off when it
crashes, given up on only in a crash loop, and on stop signalled, then killed. On Linux a child
is killed with the supervisor, even when the supervisor is SIGKILLed and can stop nothing."""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType, TracebackType
from typing import IO, Literal

# Delays before a restart, by the number of the role's crashes within the window (the last one
# for any more): a process that crashes now and then restarts at once, one that keeps crashing
# waits longer each time.
BACKOFF_SECONDS = (1.0, 2.0, 4.0, 8.0, 16.0)
# A crash loop, on which the stack gives up: this many crashes of one role within the window.
# Crashes spread wider apart (a worker killed once an hour) are restarted for ever.
# (Ten in ten minutes: the chaos benchmark's five worker kills in 90 s are faults, not a loop.)
CRASH_LOOP = 10
CRASH_WINDOW_SECONDS = 600.0
PREFIX_WIDTH = 10


class StackFailed(RuntimeError):
    """A process could not start, or kept crashing; the stack is stopped."""


class Stopping(Exception):
    """SIGTERM or SIGINT arrived: the stack stops."""


@dataclass(frozen=True)
class Role:
    """One process of the stack.

    Attributes:
        name: Its prefix on every line it prints.
        command: What to run.
        env: Variables added to the supervisor's environment.
        ready: Polled until true after the start (a port answers); none: ready at once.
        stop_signal: The polite stop (SIGINT lets a Python command finish in-flight work).
        one_shot: Runs to its end (the demo): never restarted.
        stop_last: Stopped after the others, which need it to stop cleanly (Temporal).
        log_file: Every line it prints goes here instead of the console.
        shown: With ``log_file``, the lines that are also shown (an operator's business).
    """

    name: str
    command: Sequence[str]
    env: Mapping[str, str] = field(default_factory=dict)
    ready: Callable[[], bool] | None = None
    stop_signal: signal.Signals = signal.SIGINT
    one_shot: bool = False
    stop_last: bool = False
    log_file: Path | None = None
    shown: Callable[[str], bool] | None = None


@dataclass
class _Child:
    role: Role
    process: subprocess.Popen[bytes]
    relay: threading.Thread
    started_at: float
    ready: bool
    state: Literal["running", "backoff", "done"] = "running"
    crashes: list[float] = field(default_factory=list)  # when it crashed, within the window
    restart_at: float = 0.0
    exit_code: int | None = None


class Supervisor:
    """Starts roles, keeps them running and stops them all on exit from its ``with`` block.

    SIGTERM and SIGINT are caught inside the block: the waits raise :class:`Stopping`.
    """

    def __init__(
        self,
        out: IO[str],
        *,
        grace_seconds: float = 10.0,
        backoff: Sequence[float] = BACKOFF_SECONDS,
        crash_loop: int = CRASH_LOOP,
        crash_window: float = CRASH_WINDOW_SECONDS,
        poll: float = 0.2,
    ) -> None:
        self._out = out
        self._backoff = backoff
        self._crash_loop = crash_loop
        self._crash_window = crash_window
        self._grace = grace_seconds
        self._poll = poll
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._children: dict[str, _Child] = {}
        self._saved: dict[int, object] = {}

    def __enter__(self) -> Supervisor:
        for signum in (signal.SIGTERM, signal.SIGINT):
            self._saved[signum] = signal.signal(signum, self._on_signal)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            self.stop_all()
        finally:
            for signum, handler in self._saved.items():
                signal.signal(signum, handler)  # type: ignore[arg-type]

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self._stop.set()

    # ------------------------------------------------------------------ output

    def print(self, text: str) -> None:
        """A line of the supervisor's own (the URLs), unprefixed."""
        with self._lock:
            self._out.write(text + "\n")
            self._out.flush()

    def say(self, message: str) -> None:
        """A report of the supervisor's (a start, a crash, a restart)."""
        self._line("supervisor", message)

    def _line(self, name: str, text: str) -> None:
        self.print(f"{name:<{PREFIX_WIDTH}} | {text}")

    def _relay(self, role: Role, stream: IO[bytes]) -> None:
        log = role.log_file.open("a", encoding="utf-8") if role.log_file else None
        with stream, log or contextlib.nullcontext():
            for raw in iter(stream.readline, b""):
                line = raw.decode(errors="replace").rstrip()
                if log is not None:
                    log.write(line + "\n")
                    log.flush()
                if log is None or (role.shown is not None and role.shown(line)):
                    self._line(role.name, line)

    # ------------------------------------------------------------------ starting

    def start(self, role: Role) -> None:
        """Start ``role`` now (its readiness is awaited by :meth:`wait_ready`)."""
        self._children[role.name] = self._spawn(role, ready=role.ready is None)
        self.say(f"{role.name} started (pid {self._children[role.name].process.pid})")

    def _spawn(self, role: Role, *, ready: bool) -> _Child:
        process = subprocess.Popen(
            list(role.command),
            env={**os.environ, **role.env},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own group: Ctrl-C reaches us only, we stop it in order
            preexec_fn=dies_with(os.getpid()),
        )
        assert process.stdout is not None
        relay = threading.Thread(target=self._relay, args=(role, process.stdout), daemon=True)
        relay.start()
        return _Child(role, process, relay, started_at=time.monotonic(), ready=ready)

    def wait_ready(self, *names: str, timeout: float) -> None:
        """Supervise until each of ``names`` is ready.

        Raises:
            StackFailed: one exited while starting, or was not ready within ``timeout``.
            Stopping: a stop signal arrived.
        """
        deadline = time.monotonic() + timeout
        while True:
            self._tick()
            waiting = [n for n in names if not self._check_ready(self._children[n])]
            if not waiting:
                return
            if time.monotonic() > deadline:
                raise StackFailed(f"{waiting[0]} was not ready after {timeout:.0f} s")
            self._pause()

    def _check_ready(self, child: _Child) -> bool:
        if not child.ready and child.state == "running" and child.role.ready is not None:
            child.ready = child.role.ready()
        return child.ready

    def run(self, until: Callable[[], bool] | None = None) -> None:
        """Supervise until ``until()`` is true (or a stop signal: :class:`Stopping`)."""
        while until is None or not until():
            self._tick()
            self._pause()

    def exit_code(self, name: str) -> int | None:
        """The exit code of a one-shot role that has finished; None while it runs."""
        child = self._children[name]
        return child.exit_code if child.state == "done" else None

    def _pause(self) -> None:
        if self._stop.wait(self._poll):
            raise Stopping

    # ------------------------------------------------------------------ crashes

    def _tick(self) -> None:
        now = time.monotonic()
        for name, child in list(self._children.items()):
            if child.state == "backoff" and now >= child.restart_at:
                crashes = child.crashes
                self._children[name] = child = self._spawn(
                    child.role, ready=child.role.ready is None
                )
                child.crashes = crashes
                self.say(f"{name} restarted (pid {child.process.pid})")
            elif child.state == "running" and child.process.poll() is not None:
                self._exited(child, now)
            elif child.crashes:
                self._check_ready(child)  # a restarted one: stopped politely once it is up

    def _exited(self, child: _Child, now: float) -> None:
        name, code = child.role.name, child.process.returncode
        _kill_group(child.process)  # whatever it left behind in its group goes with it
        child.relay.join(timeout=2)  # its last lines before our report
        if child.role.one_shot:
            child.state, child.exit_code = "done", code
            self.say(f"{name} finished" if code == 0 else f"{name} exited ({_how(code)})")
            return
        if not child.ready and not child.crashes:
            raise StackFailed(f"{name} exited ({_how(code)}) while starting; {_see(child.role)}")
        child.crashes = [t for t in child.crashes if now - t < self._crash_window] + [now]
        within = f"within {self._crash_window:g} s"
        if len(child.crashes) >= self._crash_loop:
            raise StackFailed(
                f"{name} exited ({_how(code)}) {len(child.crashes)} times {within}: a crash "
                f"loop, not restarted; {_see(child.role)}"
            )
        delay = self._backoff[min(len(child.crashes), len(self._backoff)) - 1]
        child.state, child.restart_at = "backoff", now + delay
        self.say(
            f"{name} exited ({_how(code)}); restarting in {delay:g} s "
            f"(crash {len(child.crashes)} {within}; {self._crash_loop} stop the stack)"
            + (f"; see {child.role.log_file}" if child.role.log_file else "")
        )

    # ------------------------------------------------------------------ stopping

    def stop_all(self) -> None:
        """Stop every process: the others first, then those marked ``stop_last``."""
        live = [c for c in self._children.values() if c.state == "running"]
        if live:
            self.say("stopping " + ", ".join(c.role.name for c in live))
        self._stop_wave([c for c in live if not c.role.stop_last])
        self._stop_wave([c for c in live if c.role.stop_last])
        for child in live:  # the others' groups were killed when they exited
            _kill_group(child.process)
            child.relay.join(timeout=2)

    def _stop_wave(self, children: list[_Child]) -> None:
        for child in children:
            # One still starting has nothing to finish, and a SIGINT in the middle of its imports
            # would only print a traceback.
            polite = child.role.stop_signal if child.ready else signal.SIGTERM
            _signal_group(child.process, polite)
        deadline = time.monotonic() + self._grace
        for child in children:
            try:
                child.process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.say(f"{child.role.name} did not stop in {self._grace:g} s; killed")
                _kill_group(child.process)
                child.process.wait()


def _signal_group(process: subprocess.Popen[bytes], signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):  # the group is gone already
        os.killpg(process.pid, signum)  # start_new_session: its pid is its group's id


def _kill_group(process: subprocess.Popen[bytes], settle_seconds: float = 2.0) -> None:
    """SIGKILL to the group, then wait (a little) until its members are gone: a signal is
    delivered asynchronously, and "stopped" must mean nothing is left running."""
    _signal_group(process, signal.SIGKILL)
    if process.poll() is None:
        process.wait()
    deadline = time.monotonic() + settle_seconds
    while time.monotonic() < deadline:
        try:
            os.killpg(process.pid, 0)
        except (ProcessLookupError, PermissionError):
            return
        time.sleep(0.02)


def dies_with(parent: int) -> Callable[[], None] | None:
    """What a child runs before it executes its command so that it is SIGKILLed when
    ``parent``, the thread that started it, ends, however it ends (Linux's
    ``PR_SET_PDEATHSIG``); None elsewhere. The children are started from the supervisor's main
    thread, which lives as long as the supervisor."""
    if not sys.platform.startswith("linux"):
        return None
    # Looked up before the fork: the child only calls it, which is safe with threads about.
    prctl = ctypes.CDLL(None, use_errno=True).prctl

    def set_death_signal() -> None:
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before the request: too late to ask
            os.kill(os.getpid(), signal.SIGKILL)

    return set_death_signal


PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _see(role: Role) -> str:
    return f"see {role.log_file}" if role.log_file else "see its lines above"


def _how(code: int) -> str:
    if code < 0:
        return f"signal {signal.Signals(-code).name}"
    return f"code {code}"
