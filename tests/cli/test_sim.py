"""``motcua sim``: serve a simulator from the command line, with clear refusals."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time

import httpx
import jwt
from typer.testing import CliRunner

from motcua.cli import app
from motcua.cli._sim import parse_options
from tests.conftest import ROOT
from tests.ports import reserve_port

runner = CliRunner()


def _text(output: str) -> str:
    """The words of an error panel, whatever width rich wrapped it to."""
    return " ".join(re.sub("[│╭╮╰╯─]", " ", output).split())


def test_help_lists_every_simulator() -> None:
    result = runner.invoke(app, ["sim", "--help"], terminal_width=200)

    assert result.exit_code == 0
    for name in ("population", "payment", "edata", "notify", "portal", "agency", "idp", "all"):
        assert f" {name} " in result.output


def test_an_unknown_simulator_exits_2() -> None:
    result = runner.invoke(app, ["sim", "police"], terminal_width=200)

    assert result.exit_code == 2
    assert "No such command 'police'" in result.output


def test_bad_options_exit_2_and_say_why() -> None:
    unknown = runner.invoke(app, ["sim", "agency", "--option", "colour=blue"], terminal_width=200)
    bad_value = runner.invoke(
        app, ["sim", "agency", "--option", "reply_after_seconds=soon"], terminal_width=200
    )
    not_a_pair = runner.invoke(app, ["sim", "notify", "--option", "verbose"], terminal_width=200)
    bad_knob = runner.invoke(app, ["sim", "notify", "--error-rate", "2"], terminal_width=200)

    assert [r.exit_code for r in (unknown, bad_value, not_a_pair, bad_knob)] == [2, 2, 2, 2]
    assert "the agency simulator refused them: no option 'colour'" in _text(unknown.output)
    assert "reply_after_seconds: Input should be a valid number" in _text(bad_value.output)
    assert "'verbose' is not KEY=VALUE" in _text(not_a_pair.output)
    assert "Invalid value for '--error-rate'" in _text(bad_knob.output)


def test_option_values_are_json_when_they_parse() -> None:
    assert parse_options(["reply_after_seconds=2", "auto_reply=false", "url=http://x/cb"]) == {
        "reply_after_seconds": 2,
        "auto_reply": False,
        "url": "http://x/cb",
    }


def test_serves_a_simulator_until_stopped() -> None:
    port = reserve_port()
    command = [sys.executable, "-m", "motcua.cli", "sim", "notify", "--port", str(port)]
    command += ["--token", "s3cret"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        health = None
        for _ in range(100):
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/health").json()
                break
            except httpx.TransportError:
                time.sleep(0.05)
        unauthorised = httpx.post(f"http://127.0.0.1:{port}/v1/messages", json={})
    finally:
        process.terminate()
        out, _ = process.communicate(timeout=10)

    assert health == {"status": "ok", "system": "notification gateway"}
    assert unauthorised.status_code == 401
    assert f"serving on http://127.0.0.1:{port}" in out


def test_all_simulators_serve_from_the_configured_base_port() -> None:
    base = reserve_port(*range(6))  # the six simulators' consecutive ports
    environ = {**os.environ, "MOTCUA_SIMULATOR_BASE_PORT": str(base)}
    command = [sys.executable, "-m", "motcua.cli", "sim", "all"]
    process = subprocess.Popen(command, cwd=ROOT, env=environ, stdout=subprocess.PIPE, text=True)
    hung = threading.Timer(60, process.kill)  # a command that never says it serves fails
    hung.start()
    lines: list[str] = []
    try:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            if "all simulators serving" in line:
                break
        health = httpx.get(f"http://127.0.0.1:{base + 5}/health").json()
    finally:
        hung.cancel()
        process.terminate()
        process.communicate(timeout=10)

    out = "".join(lines)
    ports = sorted(int(port) for port in re.findall(r"http://127\.0\.0\.1:(\d+)", out))
    assert ports == list(range(base, base + 6)), out
    assert health["status"] == "ok"


def test_serves_an_identity_provider_whose_tokens_verify_with_its_jwks() -> None:
    port = reserve_port()
    command = [sys.executable, "-m", "motcua.cli", "sim", "idp", "--port", str(port)]
    command += ["--algorithm", "ES256"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        discovery = None
        for _ in range(100):
            try:
                discovery = httpx.get(f"{base}/.well-known/openid-configuration").json()
                break
            except httpx.TransportError:
                time.sleep(0.05)
        assert discovery is not None
        keys = jwt.PyJWKSet.from_dict(httpx.get(discovery["jwks_uri"]).json())
        body = {"kind": "officer", "sub": "lan", "roles": ["director"], "agencies": ["commune-pc"]}
        token = httpx.post(discovery["token_endpoint"], json=body).json()["access_token"]
    finally:
        process.terminate()
        out, _ = process.communicate(timeout=10)

    assert discovery["issuer"] == base
    key = keys[jwt.get_unverified_header(token)["kid"]]
    claims = jwt.decode(token, key.key, algorithms=["ES256"], audience="motcua-api", issuer=base)
    assert (claims["kind"], claims["sub"], claims["roles"]) == ("officer", "lan", ["director"])
    assert claims["jti"]
    assert f"MOTCUA_OIDC_ISSUER={base}" in out


def test_an_identity_provider_with_an_unknown_algorithm_exits_2() -> None:
    result = runner.invoke(app, ["sim", "idp", "--algorithm", "HS256"], terminal_width=200)

    assert result.exit_code == 2
    assert "algorithm" in _text(result.output)


def test_all_simulators_log_at_the_level_asked_without_the_engines_settings() -> None:
    environ = {**os.environ, "MOTCUA_LOG_LEVEL": "WARNING", "MOTCUA_LOG_FORMAT": "json"}
    environ.pop("MOTCUA_ENVIRONMENT", None)  # the simulators need none of the engine's settings
    command = [sys.executable, "-m", "motcua.cli", "sim", "all", "--base-port", "0"]
    process = subprocess.Popen(
        command, cwd=ROOT, env=environ, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    hung = threading.Timer(60, process.kill)
    hung.start()
    try:
        assert process.stdout is not None
        lines = []
        for line in process.stdout:
            lines.append(line)
            if "all simulators serving" in line:
                break
        population = next(line.split()[-1] for line in lines if line.startswith("population"))
        assert httpx.get(f"{population}/v1/citizens/001090012345").status_code == 200
    finally:
        hung.cancel()
        process.terminate()
        _, logs = process.communicate(timeout=10)

    assert '"level": "info"' not in logs, logs
