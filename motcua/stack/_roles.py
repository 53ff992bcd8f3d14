"""The processes of ``motcua up`` besides the dev server: simulators, workers, outbox, API, demo.

Each is an ordinary ``motcua`` command (or the simulators' entry point) run with
``sys.executable``, configured through the same ``MOTCUA_*`` settings as in production.
"""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from signal import SIGTERM

from motcua.settings import Settings
from motcua.stack._ports import StackPorts, port_open
from motcua.stack._supervisor import Role


@dataclass(frozen=True)
class DemoOptions:
    """What ``motcua up`` passes on to ``motcua demo`` (no demo when ``dossiers`` is 0)."""

    dossiers: int = 0
    time_scale: float = 6_000.0
    seconds: float = 150.0
    adapt_clock: bool = True


def motcua_role(name: str, *args: str, env: Mapping[str, str], **options: object) -> Role:
    """A ``motcua`` command of this installation, its output unbuffered (lines as they come)."""
    return Role(
        name=name,
        command=[sys.executable, "-m", "motcua.cli", *args],
        env={"PYTHONUNBUFFERED": "1", **env},
        **options,  # type: ignore[arg-type]
    )


def simulators_role(ports: StackPorts, *, callback_url: str, env: Mapping[str, str]) -> Role:
    """The simulators and the identity provider, ready when every one of their ports answers."""
    command = [
        sys.executable, "-m", "motcua.stack._simulators",
        "--ports", json.dumps(ports.simulators), "--callback-url", callback_url,
    ]  # fmt: skip
    return Role(
        name="simulators",
        command=command,
        env={"PYTHONUNBUFFERED": "1", **env},
        ready=lambda: all(port_open("127.0.0.1", p) for p in ports.simulators.values()),
    )


def service_roles(settings: Settings, ports: StackPorts, env: Mapping[str, str]) -> list[Role]:
    """The engine worker, one worker per agency that runs its own, the outbox and the API."""
    # The worker serves its metrics before it connects: the port says the process is up.
    serving = partial(port_open, settings.metrics_host, ports.metrics) if ports.metrics else None
    # Workers stop on SIGTERM at once: on SIGINT they wait out their pollers (20 s and more on
    # a busy machine) and gain nothing, as in-flight activities are cancelled either way;
    # Temporal hands every unfinished task to the next worker.
    roles = [motcua_role("worker", "worker", env=env, ready=serving, stop_signal=SIGTERM)]
    roles += [
        # Agency workers serve no metrics: the engine worker's port is taken by it.
        motcua_role(f"agency:{agency}", "worker", "--agency", agency,
                    env={**env, "MOTCUA_METRICS_PORT": "0"}, stop_signal=SIGTERM)
        for agency in settings.separate_agencies
    ]  # fmt: skip
    roles.append(motcua_role("outbox", "outbox", "run", env=env))
    api = f"http://{settings.api_host}:{ports.api}/"
    roles.append(motcua_role("api", "api", env=env, ready=partial(http_answers, api)))
    return roles


def demo_role(demo: DemoOptions, env: Mapping[str, str], payment_url: str | None = None) -> Role:
    """``motcua demo`` with the options ``motcua up`` was given; it runs to its summary. With the
    payment simulator, citizens pay there and the platform calls the API back, as a real one
    would."""
    paying = ["--payment-url", payment_url, "--platform-calls-back"] if payment_url else []
    return motcua_role(
        "demo", "demo",
        "--dossiers", str(demo.dossiers),
        "--time-scale", str(demo.time_scale),
        "--seconds", str(demo.seconds),
        "--adapt-clock" if demo.adapt_clock else "--no-adapt-clock",
        *paying,
        env=env, one_shot=True,
    )  # fmt: skip


def http_answers(url: str) -> bool:
    """An HTTP server answers at ``url`` (any status: it is up and routing)."""
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False
