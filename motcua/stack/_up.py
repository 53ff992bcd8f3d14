"""``motcua up``: the embedded stack as supervised processes, started in dependency order."""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO

import yaml
from sqlalchemy.engine import make_url

from motcua.settings import Settings
from motcua.simulators import adapters_config
from motcua.stack._devserver import dev_server_db, dev_server_log, dev_server_role
from motcua.stack._old_dossiers import StuckDossiers, check_before_the_worker
from motcua.stack._ports import IDP, StackPorts, plan_ports
from motcua.stack._roles import DemoOptions, demo_role, service_roles, simulators_role
from motcua.stack._supervisor import StackFailed, Stopping, Supervisor

READY_SECONDS = 120  # a cold start on a busy 2-core machine: imports, migrations, the server


def run_stack(
    settings: Settings,
    out: IO[str],
    *,
    demo: DemoOptions,
    wait: bool,
    allow_stuck_dossiers: bool = False,
) -> int:
    """Start the stack, run the demo, then serve until SIGTERM or SIGINT (without ``wait``:
    stop at once); every process started is stopped before returning. Dossiers left open in
    ``var/`` that this code cannot continue stop it before the worker starts, unless
    ``allow_stuck_dossiers`` (``motcua/stack/_old_dossiers.py``).

    Returns:
        The exit status: 0 when stopped as asked, 1 when a process failed or dossiers are stuck.

    Raises:
        motcua.settings.MissingSecret: a key the API needs is missing (nothing started).
        motcua.stack.PortInUse: a port is taken (nothing started).
        motcua.crypto.KeyringError: the payload keys are unreadable (nothing started).
    """
    from motcua.crypto import load_keyring, with_development_key
    from motcua.store import migrate

    settings.token_key(), settings.callback_key(), settings.evidence_key()  # MissingSecret first
    ports = plan_ports(settings)
    # Payloads are encrypted as in production: the configured keys, or a development key file
    # under var/ that every process of the stack (and the other commands) then finds.
    settings = with_development_key(settings)
    load_keyring(settings)  # a broken key file or variable stops us before anything starts
    env = _child_environment(settings, ports, tty=out.isatty())
    migrate(settings.database_url)  # once, before the worker and the API both look
    with Supervisor(out) as supervisor:
        try:
            _start(supervisor, settings, ports, env, allow_stuck_dossiers=allow_stuck_dossiers)
            _print_addresses(supervisor, settings, ports)
            if demo.dossiers:
                payment = ports.simulators.get("payment") if settings.simulators else None
                payment_url = f"http://127.0.0.1:{payment}" if payment else None
                supervisor.start(demo_role(demo, env, payment_url))
                supervisor.run(until=lambda: supervisor.exit_code("demo") is not None)
                if supervisor.exit_code("demo"):
                    return 1
            if wait:
                supervisor.print("Serving; press Ctrl-C to stop.")
                supervisor.run()
        except Stopping:
            pass
        except StackFailed as error:
            supervisor.say(f"error: {error}")
            return 1
        except StuckDossiers:  # said already
            return 1
    return 0


def _start(
    supervisor: Supervisor,
    settings: Settings,
    ports: StackPorts,
    env: dict[str, str],
    *,
    allow_stuck_dossiers: bool,
) -> None:
    """The dev server and the simulators; once they answer, and the dossiers left open in
    ``var/`` can be continued, the workers, outbox and API."""
    # A server that starts on an empty var/ (a fresh clone, `make clean`) holds no dossiers:
    # nothing to check, not even a connection.
    persisted = dev_server_db(settings).exists()
    starting = [dev_server_role(settings, ports)]
    if settings.simulators:
        callback = f"http://{settings.api_host}:{ports.api}/v1/callbacks/payment"
        starting.append(simulators_role(ports, callback_url=callback, env=env))
    for role in starting:
        supervisor.start(role)
    supervisor.wait_ready(*(role.name for role in starting), timeout=READY_SECONDS)
    if persisted:
        check_before_the_worker(supervisor, settings, allowed=allow_stuck_dossiers)
    services = service_roles(settings, ports, env)
    for role in services:
        supervisor.start(role)
    supervisor.wait_ready(*(role.name for role in services), timeout=READY_SECONDS)


def _child_environment(settings: Settings, ports: StackPorts, *, tty: bool) -> dict[str, str]:
    """The settings the stack's processes get besides the caller's own ``MOTCUA_*``."""
    env = {"MOTCUA_API_PORT": str(ports.api)}
    if settings.simulators:
        env["MOTCUA_ADAPTERS_FILE"] = str(_simulator_adapters(settings.var_dir, ports))
        if settings.oidc_issuer is None:  # sign-in takes the real path, against a simulated IdP
            env["MOTCUA_OIDC_ISSUER"] = f"http://127.0.0.1:{ports.simulators[IDP]}"
    # As quiet as the single-process stack was; an explicit setting wins.
    env.setdefault("MOTCUA_LOG_LEVEL", os.environ.get("MOTCUA_LOG_LEVEL", "WARNING"))
    if tty and "MOTCUA_LOG_FORMAT" not in os.environ:
        env["MOTCUA_LOG_FORMAT"] = "console"  # the children's output is a pipe, ours a terminal
    return env


def _simulator_adapters(var_dir: Path, ports: StackPorts) -> Path:
    """An adapters file pointing every kind at the simulators (what MOTCUA_ADAPTERS_FILE names
    when simulators are off)."""
    urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.simulators.items()}
    urls.pop(IDP)
    var_dir.mkdir(parents=True, exist_ok=True)
    path = var_dir / "simulator-adapters.yaml"
    path.write_text(
        "# Written by `motcua up`: the adapters of every kind against its simulators.\n"
        + yaml.safe_dump(adapters_config(urls).model_dump(exclude_none=True), sort_keys=False)
    )
    return path


def _print_addresses(supervisor: Supervisor, settings: Settings, ports: StackPorts) -> None:
    host = settings.api_host
    lines = [("console", f"http://{host}:{ports.api}/"), ("API", f"http://{host}:{ports.api}/docs")]
    for name, port in ports.simulators.items():
        if name == IDP:
            url = f"http://127.0.0.1:{port}/.well-known/openid-configuration"
            lines.append(("identity provider", url))
        else:
            lines.append((f"{name} simulator", f"http://127.0.0.1:{port}/docs"))
    metrics = f"http://{settings.metrics_host}:{ports.metrics}/metrics" if ports.metrics else "off"
    lines += [
        ("Temporal UI", f"http://{ports.temporal_host}:{ports.ui}"),
        ("Temporal log", str(dev_server_log(settings))),
        ("metrics", metrics),
        ("read model", shown_url(settings.database_url)),
        ("payload keys", _describe_keys(settings)),
        ("task queue", settings.task_queue),
    ]
    for label, value in lines:
        supervisor.print(f"{label:<22}{value}")


def shown_url(url: str) -> str:
    """A database URL fit for a terminal or a log: its password, if any, as ``***``."""
    return make_url(url).render_as_string(hide_password=True)


def _describe_keys(settings: Settings) -> str:
    from motcua.crypto import key_source

    source = key_source(settings)
    return source.describe() if source is not None else "none: payloads in clear"
