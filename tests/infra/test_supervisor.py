"""The supervisor of ``motcua up`` on small real processes: restarts until a crash loop, failures
while starting, one-shot runs, log files, signals, and stops that leave nothing behind, even
when the supervisor itself is SIGKILLed."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from motcua.stack import Role, StackFailed, Stopping, Supervisor
from tests.conftest import ROOT
from tests.infra.running_stack import alive, group_members


def python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def test_a_crash_loop_is_restarted_with_a_growing_delay_then_the_stack_gives_up() -> None:
    out = io.StringIO()
    crasher = Role("crasher", python("print('working'); raise SystemExit(3)"))
    loop = "crasher exited \\(code 3\\) 3 times within 60 s: a crash loop, not restarted"
    with (
        pytest.raises(StackFailed, match=loop),
        Supervisor(out, backoff=(0.1, 0.2), crash_loop=3, crash_window=60) as supervisor,
    ):
        supervisor.start(crasher)
        supervisor.run()
    lines = out.getvalue().splitlines()
    assert lines.count("crasher    | working") == 3
    restarts = [line for line in lines if "restarting in" in line]
    assert restarts == [
        "supervisor | crasher exited (code 3); restarting in 0.1 s "
        "(crash 1 within 60 s; 3 stop the stack)",
        "supervisor | crasher exited (code 3); restarting in 0.2 s "
        "(crash 2 within 60 s; 3 stop the stack)",
    ]
    assert sum("crasher restarted (pid " in line for line in lines) == 2


def test_crashes_further_apart_than_the_window_are_restarted_for_ever() -> None:
    out = io.StringIO()
    crasher = Role("crasher", python("raise SystemExit(3)"))
    # Each restart waits longer than the window: no two crashes ever fall within it.
    with Supervisor(out, backoff=(0.3,), crash_loop=2, crash_window=0.25) as supervisor:
        supervisor.start(crasher)
        supervisor.run(until=lambda: out.getvalue().count("crasher restarted") >= 4)
    lines = out.getvalue().splitlines()
    assert [line for line in lines if "restarting in" in line] == [
        "supervisor | crasher exited (code 3); restarting in 0.3 s "
        "(crash 1 within 0.25 s; 2 stop the stack)"
    ] * 4


def test_a_role_with_a_log_file_shows_only_the_lines_an_operator_needs(tmp_path: Path) -> None:
    out, log = io.StringIO(), tmp_path / "server.log"
    chatty = Role(
        "server",
        python("print('level=ERROR msg=retrying'); print('Error: disk full'); raise SystemExit(1)"),
        one_shot=True,
        log_file=log,
        shown=lambda line: line.startswith("Error:"),
    )
    with Supervisor(out) as supervisor:
        supervisor.start(chatty)
        supervisor.run(until=lambda: supervisor.exit_code("server") is not None)
    assert "server     | Error: disk full" in out.getvalue()
    assert "retrying" not in out.getvalue()
    assert log.read_text().splitlines() == ["level=ERROR msg=retrying", "Error: disk full"]


def test_the_children_of_a_killed_supervisor_die_with_it() -> None:
    supervising = python(
        "import sys, time\n"
        "from motcua.stack import Role, Supervisor\n"
        "with Supervisor(sys.stdout) as supervisor:\n"
        "    for name in ('one', 'two'):\n"
        "        sleeper = [sys.executable, '-c', 'import time; time.sleep(600)']\n"
        "        supervisor.start(Role(name, sleeper))\n"
        "    supervisor.run()\n"
    )
    supervisor = subprocess.Popen(supervising, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert supervisor.stdout is not None
    children = []
    while len(children) < 2:
        line = supervisor.stdout.readline()
        assert line, "the supervisor ended before starting its children"
        children += [int(line.split("(pid ")[1].split(")")[0])] if "(pid " in line else []
    assert all(alive(pid) for pid in children)
    supervisor.kill()  # SIGKILL: it can stop nothing itself
    supervisor.wait()
    deadline = time.monotonic() + 30
    while any(alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.05)
    survivors = [pid for pid in children if alive(pid)]
    for pid in survivors:  # a failed test leaves nothing behind either
        os.killpg(pid, signal.SIGKILL)
    assert survivors == []


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
