"""``motcua procedures simulate`` and ``compare`` on a read model holding two versions' dossiers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import pytest
from typer.testing import CliRunner

from motcua.cli import app
from motcua.settings import get_settings
from tests.analysis.versions_log import DRAFT, versioned_workspace

runner = CliRunner()


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Version 1 and the draft, put live as version 2, each with 150 dossiers."""
    tmp = tmp_path_factory.mktemp("reengineer")
    defs, url = versioned_workspace(tmp)
    (tmp / "draft.yaml").write_text(DRAFT, encoding="utf-8")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("MOTCUA_DATABASE_URL", url)
        env.setenv("MOTCUA_VAR_DIR", str(tmp / "var"))
        env.setenv("MOTCUA_PROCEDURES_DIR", str(defs))
        get_settings.cache_clear()
        yield tmp
    get_settings.cache_clear()


def _invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["procedures", *args], terminal_width=220)
    return result.exit_code, result.stdout


def test_simulate_prints_observed_and_projected_figures(workspace: Path) -> None:
    # The draft is already in the catalog as version 2: by default version 1's dossiers replay.
    code, out = _invoke("simulate", str(workspace / "draft.yaml"))
    assert code == 0, out
    assert "of version 1" in out and "steps removed: sign" in out
    code, out = _invoke(
        "simulate", str(workspace / "draft.yaml"), "--against", "1.004222@1", "--json"
    )
    result = json.loads(out)
    assert result["against_version"] == 1 and result["removed"] == ["sign"]


def test_simulate_explains_what_is_wrong_in_one_line(workspace: Path) -> None:
    bad = workspace / "bad.yaml"
    bad.write_text(DRAFT.replace("role: residence-officer", "role: resident-oficer"), "utf-8")
    code, out = _invoke("simulate", str(bad))
    assert code == 1 and "resident-oficer" in out and "Traceback" not in out
    code, out = _invoke("simulate", str(workspace / "draft.yaml"), "--against", "1.004222@5")
    assert code == 1 and "known versions: 1, 2" in out
    code, out = _invoke(
        "simulate", str(workspace / "draft.yaml"), "--against", "1.004222@1", "--since",
        "2027-01-01",
    )  # fmt: skip
    assert code == 1 and "no dossier of 1.004222@1" in out


def test_compare_shows_the_change_and_writes_the_chart(workspace: Path) -> None:
    chart = workspace / "compare.svg"
    code, out = _invoke("compare", "1.004222@1", "1.004222@2", "--json", "--chart", str(chart))
    assert code == 0, out
    lead = next(f for f in json.loads(out)["figures"] if f["figure"] == "lead_hours")
    assert lead["verdict"] == "lower"
    assert ElementTree.parse(chart).getroot().tag.endswith("svg")
    code, out = _invoke("compare", "1.004222@1", "1.004222@1")
    assert code == 1 and "two versions of one procedure" in out
