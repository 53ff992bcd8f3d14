"""tests/ports.py: a port one test process reserved is not reserved by another at the same time,
nor while something listens on it. These tests reserve every port of a band: their own band, so
that the other test processes on the machine are not left without ports meanwhile."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

import pytest

from tests.conftest import ROOT
from tests.ports import BAND_ENV, BANDS, band, release_ports, reserve_port

# Another process reserving every port it can in the same band.
_RESERVE_ALL = """
import json
from tests.ports import reserve_port
taken = []
try:
    while True:
        taken.append(reserve_port())
except RuntimeError:
    print(json.dumps(taken))
"""


@pytest.fixture(autouse=True)
def own_band(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(BAND_ENV, str(BANDS - 1))


def _reserve_all() -> set[int]:
    taken = set()
    try:
        while True:
            taken.add(reserve_port())
    except RuntimeError:
        return taken


def test_ports_held_by_one_process_are_skipped_by_another() -> None:
    mine = {reserve_port() for _ in range(5)}
    pair = reserve_port(0, 1000)  # a Temporal dev server and its UI
    held = mine | {pair, pair + 1000}

    done = subprocess.run(
        [sys.executable, "-c", _RESERVE_ALL], cwd=ROOT, env=dict(os.environ),
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    theirs = set(json.loads(done.stdout))

    assert theirs and not theirs & held
    assert theirs <= set(band())


def test_a_released_port_is_reserved_again_unless_something_listens_on_it() -> None:
    first, second = reserve_port(), reserve_port()
    release_ports()
    with socket.create_server(("127.0.0.1", second)):
        again = _reserve_all()

    assert first in again
    assert second not in again
