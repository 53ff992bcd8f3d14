"""``motcua demo`` refuses a bad office before it connects to anything: one line saying how."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from motcua.cli import _common as cli_common
from motcua.cli import _main as cli_main
from motcua.cli._main import app
from motcua.settings import get_settings
from tests.conftest import ROOT

runner = CliRunner()


@pytest.fixture(autouse=True)
def demo_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    wide = Console(width=400)
    monkeypatch.setattr(cli_main, "console", wide)
    monkeypatch.setattr(cli_common, "console", wide)
    monkeypatch.setenv("MOTCUA_DATABASE_URL", f"sqlite:///{tmp_path / 'motcua.db'}")
    monkeypatch.setenv("MOTCUA_PROCEDURES_DIR", str(ROOT / "procedure_defs"))
    # Nothing listens here: a command that got as far as connecting would say so instead.
    monkeypatch.setenv("MOTCUA_TEMPORAL_ADDRESS", "127.0.0.1:9")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.mark.parametrize(
    ("option", "says"),
    [
        (["--officers", "chairman@commune-pc"], "write role@agency=N with N >= 1"),
        (["--officers", "chairman@commune-pc=0"], "write role@agency=N with N >= 1"),
        (["--officers", "judge@commune-pc=2"], "no judge@commune-pc in the registry; choose from"),
        (["--office", "missing.yaml"], "cannot read the office file missing.yaml"),
    ],
)
def test_a_bad_office_is_one_line_that_says_how_to_fix_it(option: list[str], says: str) -> None:
    result = runner.invoke(app, ["demo", *option], terminal_width=200)
    assert result.exit_code == 1
    assert says in result.output and "Traceback" not in result.output
    assert "cannot reach Temporal" not in result.output
