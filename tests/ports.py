"""Loopback ports for the servers the tests start, safe when several pytest processes (xdist
workers, or other checkouts' suites on the same machine) pick ports at the same moment.

Binding port 0 and closing the probe hands the port back: another process can be given it before
the server the test starts binds it. So a port is reserved instead: chosen in a band of this
xdist worker's own (gw0, gw1 … each get one, fewer clashes to skip), locked with an exclusive
``flock`` on a file per port under the temp directory (other test processes skip it), and checked
free with a bind. The bands lie below the range the kernel hands out ephemeral ports from and
below the range ``motcua up`` picks its own free ports from (``motcua.stack.free_port``), so
neither the OS nor a stack started with port 0 takes a reserved port from under a test.

A lock only has to cover the window until the server has bound: the locks are released when the
test ends (``tests/conftest.py``). A port still listening then stays taken, as the bind check in
the next reservation sees it."""

from __future__ import annotations

import fcntl
import os
import random
import socket
import tempfile
from pathlib import Path

FIRST = 10000  # motcua.stack.free_port picks from 20768 up (the ephemeral start - 12000)
BAND = 1250  # room for a port and its +1000 (the Temporal UI beside its dev server)
BANDS = 8  # 10000-19999: pytest without xdist, gw0 … gw5 (and round again), tests/test_ports.py
BAND_ENV = "MOTCUA_TEST_PORT_BAND"  # a band's number, overriding the worker's
_LOCKS = Path(tempfile.gettempdir()) / "motcua-test-ports"
_held: list[int] = []  # lock file descriptors, closed (unlocked) by release_ports()


def band() -> range:
    """This process's ports: one band without xdist, the next ones for gw0, gw1 … The last band
    is tests/test_ports.py's, which reserves all of it (``MOTCUA_TEST_PORT_BAND``)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    index = int(worker[2:]) + 1 if worker[:2] == "gw" and worker[2:].isdigit() else 0
    index = int(os.environ.get(BAND_ENV, index % (BANDS - 1)))
    start = FIRST + index * BAND
    return range(start, start + BAND)


def reserve_port(*offsets: int) -> int:
    """A free loopback port P, held for this test; with ``offsets``, P + each is free and held too
    (``reserve_port(0, 1000)``: a Temporal dev server and its UI; ``*range(7)``: the simulators).

    Raises:
        RuntimeError: no such run of ports is free in this worker's band.
    """
    wanted = sorted(set(offsets) | {0})
    ports = band()
    starts = list(range(ports.start, ports.stop - wanted[-1]))
    first = random.randrange(len(starts))  # not always the band's first: fewer locks to skip
    for start in starts[first:] + starts[:first]:
        taken = _take([start + offset for offset in wanted])
        if taken is not None:
            _held.extend(taken)
            return start
    raise RuntimeError(f"no free loopback ports {wanted} apart in {ports.start}-{ports.stop - 1}")


def unused_port() -> int:
    """A loopback port nothing listens on, nor will during this test (for "unreachable")."""
    return reserve_port()


def release_ports() -> None:
    """Unlock every port reserved so far (at the end of each test)."""
    while _held:
        os.close(_held.pop())


def _take(ports: list[int]) -> list[int] | None:
    """Lock and check each of ``ports``; their lock descriptors, or None (all released)."""
    _LOCKS.mkdir(exist_ok=True)
    taken: list[int] = []
    for port in ports:
        fd = os.open(_LOCKS / f"{port}.lock", os.O_CREAT | os.O_RDWR, 0o666)
        taken.append(fd)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            break  # another test process holds it
        if not port_is_free(port):
            break
    else:
        return taken
    for fd in taken:
        os.close(fd)
    return None


def port_is_free(port: int) -> bool:
    """Nothing listens on loopback ``port`` now (a bind succeeds)."""
    try:
        with socket.create_server(("127.0.0.1", port)):
            return True
    except OSError:
        return False
