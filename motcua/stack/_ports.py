"""The ports ``motcua up`` listens on, each with the setting that moves it: all checked before
anything starts, and a free one picked where a setting says 0."""

from __future__ import annotations

import errno
import random
import socket
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from motcua.settings import Settings
from motcua.simulators import ports_from

IDP = "idp"  # the identity provider, served after the six agency simulators


class PortInUse(RuntimeError):
    """A port the stack needs is taken (or cannot be bound); the message names its setting."""


@dataclass(frozen=True)
class StackPorts:
    """Where each part of the stack listens (0: not served)."""

    temporal_host: str
    temporal: int
    ui: int
    api: int
    metrics: int
    simulators: dict[str, int]  # by simulator name, the identity provider's under "idp"


def plan_ports(settings: Settings) -> StackPorts:
    """The stack's ports; a free one wherever a setting says 0.

    Raises:
        PortInUse: a configured port is taken; one line naming the setting that moves it.
    """
    host, _, port = settings.temporal_address.rpartition(":")
    temporal_host, temporal = host or "127.0.0.1", int(port)
    ui = temporal + 1000  # the Temporal CLI's own convention: 7233 → 8233
    wanted = [
        (temporal_host, temporal, "Temporal", "MOTCUA_TEMPORAL_ADDRESS"),
        (temporal_host, ui, "Temporal UI", "MOTCUA_TEMPORAL_ADDRESS (the UI is its port + 1000)"),
        (settings.api_host, settings.api_port, "API", "MOTCUA_API_PORT"),
        (settings.metrics_host, settings.metrics_port, "metrics", "MOTCUA_METRICS_PORT"),
    ]
    simulators: dict[str, int] = {}
    if settings.simulators:
        base = settings.simulator_base_port
        simulators = {**ports_from(base), IDP: base + len(ports_from(base)) if base else 0}
        wanted += [
            ("127.0.0.1", number, f"{name} simulator", "MOTCUA_SIMULATOR_BASE_PORT")
            for name, number in simulators.items()
        ]
    for where, number, what, setting in wanted:
        if number:
            _check_free(where, number, what, setting)
    picked = {number for _, number, _, _ in wanted if number}
    for name, number in simulators.items():
        if not number:
            simulators[name] = number = free_port("127.0.0.1", avoid=picked)
            picked.add(number)
    return StackPorts(
        temporal_host=temporal_host,
        temporal=temporal,
        ui=ui,
        api=settings.api_port or free_port(settings.api_host, avoid=picked),
        metrics=settings.metrics_port,  # 0: the worker serves no metrics
        simulators=simulators,
    )


def free_port(host: str, *, avoid: Collection[int] = ()) -> int:
    """A port free on ``host`` now, below the kernel's ephemeral range.

    The OS picks its ports in that range: for outgoing connections, and for the Temporal dev
    server's HTTP and metrics ports, which it opens on ports of its own choosing. A port picked
    there could be taken by one of them before the process it was picked for binds it.

    Raises:
        PortInUse: none found (after many tries).
    """
    first, last = _BELOW_EPHEMERAL
    for _ in range(500):
        port = random.randint(first, last)
        if port in avoid:
            continue
        try:
            with socket.create_server((host, port)):
                return port
        except OSError:
            continue
    raise PortInUse(f"no free port on {host} between {first} and {last}")


def _below_ephemeral() -> tuple[int, int]:
    try:
        low = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        low = 32768  # Linux's default
    return max(1024, low - 12000), low - 1


_BELOW_EPHEMERAL = _below_ephemeral()


def port_open(host: str, port: int) -> bool:
    """Something accepts connections on ``host:port``."""
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def _check_free(host: str, port: int, what: str, setting: str) -> None:
    try:
        with socket.create_server((host, port)):
            pass
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise PortInUse(f"port {port} ({what}) is in use; set {setting} to move it") from None
        reason = error.strerror or str(error)
        raise PortInUse(
            f"cannot listen on {host}:{port} ({what}): {reason}; see {setting}"
        ) from None
