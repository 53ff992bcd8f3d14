"""The supervisor of ``motcua up`` on small real processes: restarts with a limit, failures while
starting, one-shot runs, signals, and stops that leave nothing behind."""

from __future__ import annotations

import io
import os
import signal
import sys
import time

import pytest

from motcua.stack import Role, StackFailed, Stopping, Supervisor
from tests.infra.running_stack import alive, group_members


def python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def test_a_crashing_process_is_restarted_then_the_stack_gives_up() -> None:
    out = io.StringIO()
    crasher = Role("crasher", python("print('working'); raise SystemExit(3)"))
    failed = pytest.raises(StackFailed, match="crasher exited \\(code 3\\) 3 times in a row")
    with failed, Supervisor(out, backoff=(0.1, 0.1)) as supervisor:
        supervisor.start(crasher)
        supervisor.run()
    lines = out.getvalue().splitlines()
    assert lines.count("crasher    | working") == 3
    assert "supervisor | crasher exited (code 3); restarting in 0.1 s (restart 1 of 2)" in lines
    assert "supervisor | crasher exited (code 3); restarting in 0.1 s (restart 2 of 2)" in lines
    assert sum("crasher restarted (pid " in line for line in lines) == 2


def test_a_process_that_fails_while_starting_stops_the_stack() -> None:
    out = io.StringIO()
    broken = Role(
        "api", python("print('error: bad setting'); raise SystemExit(1)"), ready=lambda: False
    )
    failed = pytest.raises(StackFailed, match="api exited \\(code 1\\) while starting")
    with failed, Supervisor(out) as supervisor:
        supervisor.start(broken)
        supervisor.wait_ready("api", timeout=60)
    assert "api        | error: bad setting" in out.getvalue()
    assert "restarting" not in out.getvalue()


def test_a_one_shot_process_runs_to_its_end() -> None:
    out = io.StringIO()
    with Supervisor(out) as supervisor:
        supervisor.start(Role("demo", python("print('summary')"), one_shot=True))
        supervisor.run(until=lambda: supervisor.exit_code("demo") is not None)
        assert supervisor.exit_code("demo") == 0
    assert out.getvalue().splitlines()[-2:] == [
        "demo       | summary",
        "supervisor | demo finished",
    ]


def test_a_stop_kills_what_ignores_it_and_whatever_it_started() -> None:
    out = io.StringIO()
    stubborn = python(
        "import signal, subprocess, time\n"
        "signal.signal(signal.SIGINT, signal.SIG_IGN)\n"
        "child = subprocess.Popen(['sleep', '600'])\n"
        "print('grandchild', child.pid, flush=True)\n"
        "time.sleep(600)\n"
    )
    with Supervisor(out, grace_seconds=0.5) as supervisor:
        supervisor.start(Role("stubborn", stubborn))
        while "grandchild" not in out.getvalue():
            time.sleep(0.05)
        grandchild = int(out.getvalue().split("grandchild ")[1].split()[0])
        leader = int(out.getvalue().split("(pid ")[1].split(")")[0])
    assert "supervisor | stubborn did not stop in 0.5 s; killed" in out.getvalue()
    assert not alive(leader) and not alive(grandchild) and group_members(leader) == []


def test_sigterm_stops_the_supervision_and_every_process() -> None:
    out, before = io.StringIO(), signal.getsignal(signal.SIGTERM)
    with pytest.raises(Stopping), Supervisor(out) as supervisor:
        supervisor.start(Role("sleeper", python("import time; time.sleep(600)")))
        leader = int(out.getvalue().split("(pid ")[1].split(")")[0])
        os.kill(os.getpid(), signal.SIGTERM)  # caught by the supervisor, not the test run
        supervisor.run()
    assert "supervisor | stopping sleeper" in out.getvalue()
    assert not alive(leader)
    assert signal.getsignal(signal.SIGTERM) == before  # the handlers restored on the way out
