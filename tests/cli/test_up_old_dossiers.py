"""``motcua up`` on a ``var/`` whose dev server holds a dossier an earlier, incompatible engine
recorded: it says so in one block and starts no worker, or with ``--allow-stuck-dossiers``
warns and starts the stack. (A refused start costs the dev server's; the allowed one a stack's,
about 20 s.)"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from temporalio.client import Client

from motcua.crypto import data_converter
from motcua.definitions import Catalog
from motcua.settings import Settings
from motcua.stack._devserver import dev_server_role
from motcua.stack._ports import plan_ports, port_open
from tests.conftest import TEST_KEYRING
from tests.infra.running_stack import running_up, up_environment
from tests.stack.earlier_engine import file_with_earlier_engine


def test_up_stops_before_the_worker_on_a_dossier_it_cannot_continue(
    tmp_path: Path, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    var = tmp_path / "var"
    # The suite's payload key, so that the dossier left in var/ opens for `up` as for us.
    environ = up_environment(var, MOTCUA_ENCRYPTION_KEYS=os.environ["MOTCUA_ENCRYPTION_KEYS"])
    earlier = _left_by_an_earlier_engine(environ, catalog, monkeypatch)

    with running_up(environ, "--no-wait") as stack:
        assert stack.wait(timeout=180) == 1, stack.output
    # The supervisor's reports and the processes' lines are prefixed `name | `; this is not.
    said = [line for line in stack.lines if " | " not in line and line != "motcua stopped."]
    assert said == [
        f"error: {var}/ holds 1 open dossier; 1 of 1 checked was recorded by an engine this "
        f"version cannot continue (first: {earlier}: nondeterminism: No command scheduled for "
        "event HistoryEvent(id: 5, TimerStarted)).",
        f"Start afresh by moving {var}/ away (e.g. mv {var} {var}.old), or run the commit that "
        "filed them; --allow-stuck-dossiers starts anyway.",
    ], stack.output
    assert "worker started" not in stack.output and "Traceback" not in stack.output
    assert "motcua stopped." in stack.output

    with running_up(environ, "--no-wait", "--allow-stuck-dossiers") as stack:
        assert stack.wait(timeout=240) == 0, stack.output
    assert f"warning: {var}/ holds 1 open dossier; 1 of 1 checked" in stack.output
    assert "supervisor | worker started" in stack.output, stack.output


def _left_by_an_earlier_engine(
    environ: dict[str, str], catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> str:
    """Run the dev server as `up` runs it on ``environ``'s var/, file a dossier there with an
    earlier engine, and stop the server: the dossier stays open in var/temporal.db."""
    for name, value in environ.items():
        if name.startswith("MOTCUA_"):
            monkeypatch.setenv(name, value)
    settings = Settings()
    ports = plan_ports(settings)
    server = subprocess.Popen(
        dev_server_role(settings, ports).command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not port_open(ports.temporal_host, ports.temporal):
            assert time.monotonic() < deadline and server.poll() is None, "no dev server"
            time.sleep(0.2)
        return asyncio.run(_file(settings, catalog))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


async def _file(settings: Settings, catalog: Catalog) -> str:
    client = await Client.connect(
        settings.temporal_address, data_converter=data_converter(TEST_KEYRING)
    )
    return await file_with_earlier_engine(client, catalog, task_queue=settings.task_queue)
