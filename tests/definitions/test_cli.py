"""``motcua procedures`` through typer's CliRunner."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from motcua.cli._procedures import procedures_app

from ._helpers import SAMPLES, line_of, write

runner = CliRunner()


@pytest.fixture(autouse=True)
def _samples_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOTCUA_PROCEDURES_DIR", str(SAMPLES))


def test_validate_samples_exits_0() -> None:
    result = runner.invoke(procedures_app, ["validate"])
    assert result.exit_code == 0, result.output
    assert "12 definitions valid" in result.stdout


def test_validate_broken_file_exits_1_with_file_and_line(tmp_path: Path) -> None:
    text = (SAMPLES / "permanent_residence.yaml").read_text(encoding="utf-8")
    path = write(tmp_path, "residence.yaml", text.replace("role: residence-officer", "role: ghost"))
    result = runner.invoke(procedures_app, ["validate", str(path)])
    assert result.exit_code == 1
    line = line_of(path, "role: ghost")
    expected = (
        f"{path}:{line}: steps[3].role: unknown role 'ghost' at agency 'commune-police'; "
        "valid: one-stop-officer, residence-officer, police-chief, feedback-officer"
    )
    assert result.stdout.splitlines() == [expected]


def test_validate_missing_path_exits_1(tmp_path: Path) -> None:
    result = runner.invoke(procedures_app, ["validate", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 1


def test_show_prints_the_summary() -> None:
    result = runner.invoke(procedures_app, ["show", "1.001193"])
    assert result.exit_code == 0, result.output
    assert "Birth registration / Đăng ký khai sinh" in result.stdout
    assert "parents_ids" in result.stdout


def test_show_unknown_code_exits_1() -> None:
    result = runner.invoke(procedures_app, ["show", "9.999999"])
    assert result.exit_code == 1
    assert "Unknown procedure 9.999999" in result.stderr


def test_show_unknown_version_exits_1() -> None:
    result = runner.invoke(procedures_app, ["show", "1.001193", "--version", "7"])
    assert result.exit_code == 1
    assert "1.001193 version 7" in result.stderr


def test_graph_to_stdout_and_file(tmp_path: Path) -> None:
    result = runner.invoke(procedures_app, ["graph", "1.004222", "--dir", str(SAMPLES)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("flowchart TD\n") and "s_sign" in result.stdout
    out = tmp_path / "bundle.mmd"
    result = runner.invoke(procedures_app, ["graph", "3.000722", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "m_residence" in out.read_text(encoding="utf-8")
