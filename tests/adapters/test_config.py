"""adapters.yaml: which adapter each agency runs; mistakes name the file, line and field."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from typer.testing import CliRunner

from adapters import AdaptersConfig, Misconfigured, load_adapters_config
from adapters.http.consultation import HttpConsultation
from motcua.cli import app
from motcua.definitions import DefinitionError
from motcua.settings import Settings
from tests.conftest import ROOT

DEFAULTS = """\
defaults:
  population: {plugin: http, base_url: "http://127.0.0.1:8101"}
  payment: {plugin: http, base_url: "http://127.0.0.1:8102"}
  delivery: {plugin: http, base_url: "http://127.0.0.1:8103"}
  notification: {plugin: http, base_url: "http://127.0.0.1:8104"}
  portal: {plugin: http, base_url: "http://127.0.0.1:8105"}
  consultation: {plugin: http, base_url: "http://127.0.0.1:8106"}
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "adapters.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_file_loads_and_points_at_the_simulators() -> None:
    config = load_adapters_config(ROOT / "adapters.yaml")
    assert config.choice("population").options == {"base_url": "http://127.0.0.1:8101"}


async def test_an_agency_overrides_only_what_it_names(tmp_path: Path) -> None:
    court = '    consultation: {plugin: court-records, base_url: "http://court.test"}\n'
    config = load_adapters_config(
        _write(tmp_path, DEFAULTS + "agencies:\n  provincial-court:\n" + court)
    )
    court_adapters = config.build("provincial-court")
    police_adapters = config.build("commune-police")
    try:
        assert type(court_adapters.consultation).__name__ == "CourtRecordsAdapter"
        assert isinstance(police_adapters.consultation, HttpConsultation)
        assert type(court_adapters.population) is type(police_adapters.population)
    finally:
        await court_adapters.aclose()
        await police_adapters.aclose()


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            "agencies:\n  land-registry:\n    population: {plugin: soap}\n",
            "adapters.yaml:10: agencies.land-registry.population: no adapter plugin "
            "'population.soap' is installed",
        ),
        (
            'agencies:\n  land-registry:\n    payment: {plugin: http, base_url: "x", colour: 1}\n',
            "adapters.yaml:10: agencies.land-registry.payment: http options:",
        ),
    ],
)
def test_a_mistake_names_file_line_and_field(tmp_path: Path, extra: str, expected: str) -> None:
    with pytest.raises(DefinitionError) as caught:
        load_adapters_config(_write(tmp_path, DEFAULTS + extra))
    assert expected in str(caught.value)


def test_every_kind_needs_a_default(tmp_path: Path) -> None:
    text = "\n".join(line for line in DEFAULTS.splitlines() if "portal" not in line)
    with pytest.raises(DefinitionError) as caught:
        load_adapters_config(_write(tmp_path, text))
    assert "adapters.yaml:1: defaults: no default adapter for: portal" in str(caught.value)


def test_a_token_variable_that_is_unset_stops_the_build(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MOTCUA_TEST_NO_SUCH_TOKEN", raising=False)
    config = AdaptersConfig.model_validate(
        {
            "defaults": {
                kind: {
                    "plugin": "http",
                    "base_url": "http://127.0.0.1:1",
                    "token_env": "MOTCUA_TEST_NO_SUCH_TOKEN",
                }
                for kind in (
                    "population",
                    "payment",
                    "delivery",
                    "notification",
                    "portal",
                    "consultation",
                )
            }
        }
    )
    with pytest.raises(Misconfigured, match="MOTCUA_TEST_NO_SUCH_TOKEN is unset"):
        config.build()


def test_separate_agencies_read_comma_separated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOTCUA_SEPARATE_AGENCIES", "provincial-court, land-registry")
    assert Settings().separate_agencies == ["provincial-court", "land-registry"]


def test_worker_refuses_an_unknown_agency(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOTCUA_PROCEDURES_DIR", str(ROOT / "procedure_defs"))
    monkeypatch.setenv("MOTCUA_ADAPTERS_FILE", str(ROOT / "adapters.yaml"))
    monkeypatch.setenv("MOTCUA_METRICS_PORT", "0")
    from motcua.settings import get_settings

    get_settings.cache_clear()
    handlers = logging.root.handlers[:]
    try:
        result = CliRunner().invoke(app, ["worker", "--agency", "tax-office"])
    finally:
        get_settings.cache_clear()
        logging.root.handlers[:] = handlers  # the command logged to the runner's closed stream
    assert result.exit_code == 1
    assert "unknown agency 'tax-office'" in result.output and "provincial-court" in result.output
