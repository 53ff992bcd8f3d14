"""The production compose file has no default passwords and publishes nothing beyond this host."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

COMPOSE = Path(__file__).resolve().parents[2] / "infra" / "docker-compose.yml"
SECRET_NAME = re.compile(r"PASSWORD|PASSWD|PWD|SECRET|TOKEN|API_KEY", re.IGNORECASE)
# ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?message}, ${NAME?message}
VARIABLE = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?P<rest>[^}]*)\}")
REQUIRED = re.compile(r"^\$\{[A-Za-z_][A-Za-z0-9_]*:\?[^}]+\}$")
URL_PASSWORD = re.compile(r"://[^:/@\s]+:(?P<password>\$\{[^}]*\}|[^@\s]+)@")


def _services() -> dict[str, Any]:
    services: dict[str, Any] = YAML(typ="safe").load(COMPOSE.read_text(encoding="utf-8"))[
        "services"
    ]
    return services


def _environment(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):  # the "NAME=value" form
        env = dict(item.split("=", 1) for item in env)
    return {str(k): str(v) for k, v in env.items()}


def test_secret_variables_are_required_never_defaulted() -> None:
    text = COMPOSE.read_text(encoding="utf-8")
    secrets = [m for m in VARIABLE.finditer(text) if SECRET_NAME.search(m["name"])]
    assert secrets, "the compose file names no password variables at all"
    defaulted = [m.group() for m in secrets if not m["rest"].startswith(":?")]
    assert defaulted == [], f"secrets with a default (or none required): {defaulted}"


def test_every_password_setting_comes_from_a_required_variable() -> None:
    checked = 0
    for name, service in _services().items():
        for key, value in _environment(service).items():
            if SECRET_NAME.search(key):
                checked += 1
                assert REQUIRED.match(value), f"{name}: {key} is {value!r}, not ${{VAR:?…}}"
            for found in URL_PASSWORD.finditer(value):
                checked += 1
                password = found["password"]
                assert REQUIRED.match(password), f"{name}: {key} holds the password {password!r}"
    assert checked >= 9  # both databases, Temporal's DB user, Grafana, the API's keys, URLs


def test_the_api_requires_the_console_session_secret() -> None:
    # Production refuses to start without it (Settings.console_session_key); compose says so
    # before any container starts.
    value = _environment(_services()["api"])["MOTCUA_CONSOLE_SESSION_SECRET"]
    assert REQUIRED.match(value), value


def test_every_published_port_is_bound_to_loopback() -> None:
    published = []
    for name, service in _services().items():
        for port in service.get("ports") or []:
            host = port.get("host_ip") if isinstance(port, dict) else str(port).rsplit(":", 2)[0]
            published.append((name, host))
    assert {name for name, _ in published} >= {"temporal", "temporal-ui", "prometheus", "grafana"}
    assert [(name, host) for name, host in published if host != "127.0.0.1"] == []
