"""Supervised child processes: each in a process group of its own, its output prefixed with its
name, restarted with a back-off when it crashes, and on stop signalled, then killed."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import FrameType, TracebackType
from typing import IO, Literal

# Delays before the 1st, 2nd, ... restart of a process that keeps crashing; then the stack stops.
BACKOFF_SECONDS = (1.0, 2.0, 4.0, 8.0, 16.0)
# A process that ran this long before it crashed is not "crashing in a row": its count restarts.
STABLE_SECONDS = 60.0
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
    """

    name: str
    command: Sequence[str]
    env: Mapping[str, str] = field(default_factory=dict)
    ready: Callable[[], bool] | None = None
    stop_signal: signal.Signals = signal.SIGINT
    one_shot: bool = False
    stop_last: bool = False


@dataclass
class _Child:
    role: Role
    process: subprocess.Popen[bytes]
    relay: threading.Thread
    started_at: float
    ready: bool
    state: Literal["running", "backoff", "done"] = "running"
    crashes: int = 0
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
        poll: float = 0.2,
    ) -> None:
        self._out = out
        self._backoff = backoff
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

    def _relay(self, name: str, stream: IO[bytes]) -> None:
        with stream:
            for raw in iter(stream.readline, b""):
                self._line(name, raw.decode(errors="replace").rstrip())

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
        )
        assert process.stdout is not None
        relay = threading.Thread(target=self._relay, args=(role.name, process.stdout), daemon=True)
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
            raise StackFailed(f"{name} exited ({_how(code)}) while starting; see its lines above")
        if now - child.started_at >= STABLE_SECONDS:
            child.crashes = 0
        if child.crashes >= len(self._backoff):
            raise StackFailed(f"{name} exited ({_how(code)}) {child.crashes + 1} times in a row")
        delay = self._backoff[child.crashes]
        child.crashes += 1
        child.state, child.restart_at = "backoff", now + delay
        self.say(
            f"{name} exited ({_how(code)}); restarting in {delay:g} s "
            f"(restart {child.crashes} of {len(self._backoff)})"
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


def _how(code: int) -> str:
    if code < 0:
        return f"signal {signal.Signals(-code).name}"
    return f"code {code}"
