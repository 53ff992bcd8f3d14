"""``motcua up`` with its simulators off runs the adapters of MOTCUA_ADAPTERS_FILE, an agency's
own notification adapter included; Ctrl-C (SIGINT) stops every process it started."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import yaml

from motcua.simulators import KIND_OF, create_simulator, serving, serving_all
from motcua.simulators.notify import Outbox, SentMessage
from tests.infra.running_stack import (
    alive,
    group_members,
    running_up,
    submit_permanent_residence,
    up_environment,
)


def test_up_uses_the_adapters_file_and_an_agencys_own_notifier(tmp_path: Path) -> None:
    national, police = create_simulator("notify"), create_simulator("notify")
    with (
        serving_all(ports=dict.fromkeys(KIND_OF, 0)) as urls,
        serving(national) as national_url,
        serving(police) as police_url,
    ):
        defaults = {
            KIND_OF[name]: {"plugin": "http", "base_url": url} for name, url in urls.items()
        }
        defaults["notification"]["base_url"] = national_url
        adapters = tmp_path / "adapters.yaml"
        adapters.write_text(
            yaml.safe_dump(
                {
                    "defaults": defaults,
                    "agencies": {
                        "commune-police": {
                            "notification": {"plugin": "http", "base_url": police_url}
                        }
                    },
                }
            )
        )
        environ = up_environment(
            tmp_path / "var", MOTCUA_SIMULATORS="false", MOTCUA_ADAPTERS_FILE=str(adapters)
        )
        with running_up(environ) as stack:
            stack.wait_for("^Serving; press Ctrl-C to stop.")
            assert "simulator" not in stack.output  # none of its own: the file's adapters
            code = submit_permanent_residence(tmp_path, environ, "adapters-file-1")
            sent = _wait_for_messages(police.state.outbox)
            children = stack.pids()
            stack.process.send_signal(signal.SIGINT)
            assert stack.wait() == 0, stack.output
    assert "motcua stopped." in stack.output and "Traceback" not in stack.output
    assert [pid for pid in children if alive(pid) or group_members(pid)] == []
    # The police's notices (the citizen's and the desk officer's) went through its own gateway.
    assert {m.recipient for m in sent} & {code, "one-stop-officer@commune-police"}, sent
    assert national.state.outbox.sent == []  # nothing of the police's through the default


def _wait_for_messages(outbox: Outbox, timeout: float = 120) -> list[SentMessage]:
    deadline = time.monotonic() + timeout
    while not outbox.sent:
        assert time.monotonic() < deadline, "no notice reached the police's own gateway"
        time.sleep(0.2)
    return list(outbox.sent)
