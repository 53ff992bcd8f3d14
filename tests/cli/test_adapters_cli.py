"""``motcua adapters``: the plugin list and the conformance kit, as an integrator types them."""

from __future__ import annotations

import json

import pytest
from pydantic import BaseModel, ConfigDict
from rich.console import Console
from typer.testing import CliRunner

from adapters import AdapterPlugin
from adapters.portal import PortalAck, PortalStatus
from motcua.cli import _adapters, app

runner = CliRunner()
REFERENCE = ["consultation", "delivery", "notification", "payment", "population", "portal"]


@pytest.fixture(autouse=True)
def wide_console(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_adapters, "_out", Console(width=250))


def test_list_shows_the_six_reference_plugins_with_their_simulators() -> None:
    result = runner.invoke(app, ["adapters", "list"])

    assert result.exit_code == 0, result.output
    assert "Adapter plugins (" in result.output  # example packages may add their own
    for kind in REFERENCE:
        row = next(line for line in result.output.splitlines() if f"{kind}.http" in line)
        assert kind in row.replace(f"{kind}.http", "")
        assert "yes" in row  # ships a simulator


def test_check_of_a_reference_plugin_exits_0() -> None:
    result = runner.invoke(app, ["adapters", "check", "population.http"])

    assert result.exit_code == 0, result.output
    assert "population.lookup" in result.stdout
    assert "PASS" in result.stdout
    assert "0 failed, 0 skipped" in result.stdout


def test_check_json_is_a_valid_report() -> None:
    result = runner.invoke(app, ["adapters", "check", "notification.http", "--json"])

    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["plugin"], report["kind"], report["ok"]) == (
        "notification.http",
        "notification",
        True,
    )
    assert report["summary"]["failed"] == 0
    assert {c["id"] for c in report["checks"]} >= {"notification.send", "fault.503", "fault.slow"}


def test_an_unknown_plugin_exits_2_listing_the_installed_ones() -> None:
    result = runner.invoke(app, ["adapters", "check", "payment.cash-box"])

    assert result.exit_code == 2
    assert "no adapter plugin 'payment.cash-box' is installed" in result.stderr
    for kind in REFERENCE:
        assert f"{kind}.http" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("option", "message"),
    [("timeout_seconds", "is not KEY=VALUE"), ("colour=blue", "colour: Extra inputs")],
)
def test_a_bad_option_exits_2(option: str, message: str) -> None:
    result = runner.invoke(app, ["adapters", "check", "portal.http", "--option", option])

    assert result.exit_code == 2
    assert message in " ".join(result.stderr.split())


class _Options(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _DeafPortal:
    """An in-process portal adapter that never applies anything."""

    def __init__(self, options: _Options) -> None:
        pass

    async def push_status(self, status: PortalStatus) -> PortalAck:
        return PortalAck(dossier_code=status.dossier_code, seq=status.seq, applied=False)


def test_a_failed_check_exits_1_and_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    deaf = AdapterPlugin(kind="portal", options=_Options, build=_DeafPortal)
    monkeypatch.setattr("adapters.plugin", lambda name: deaf)  # the command imports it late

    result = runner.invoke(app, ["adapters", "check", "portal.deaf"])

    assert result.exit_code == 1, result.output
    failed = [line for line in result.stdout.splitlines() if "FAIL" in line]
    assert len(failed) == 1
    assert "portal.push" in failed[0]
    assert "expected applied=true" in failed[0]
    assert "2 passed, 1 failed, 7 skipped" in result.stdout
