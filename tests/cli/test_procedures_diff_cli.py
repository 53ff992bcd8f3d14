"""``motcua procedures diff``: two versions by CODE@VERSION or by file, as text or JSON."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from motcua.cli._procedures import procedures_app
from tests.definitions._helpers import birth_versions

runner = CliRunner()


def _diff(*args: str) -> tuple[int, str]:
    result = runner.invoke(procedures_app, ["diff", *args], terminal_width=200)
    return result.exit_code, result.output


def test_a_removed_step_is_named_with_what_follows(tmp_path: Path) -> None:
    birth_versions(tmp_path)
    code, out = _diff("1.001193@1", "1.001193@2", "--dir", str(tmp_path))
    assert code == 0, out
    assert out.splitlines() == [
        "1.001193@1 → 1.001193@2",
        "Changes that matter:",
        "  - step 'approve' removed (approval by chairman, SLA 2 working hours)",
        "What follows:",
        "  - sum of SLAs now 5 working hours of 1 working day "
        "(was 7 working hours of 1 working day)",
        "  - steps an officer decides: 2 (was 3)",
    ]


def test_wording_only_is_no_change_that_matters(tmp_path: Path) -> None:
    birth_versions(tmp_path)
    code, out = _diff(str(tmp_path / "birth_v2.yaml"), str(tmp_path / "birth_v3.yaml"))
    assert code == 0, out
    assert "No change that matters." in out
    assert "name: 'Birth registration' → 'Registration of a birth'" in out


def test_json_lists_changes_consequences_and_wording(tmp_path: Path) -> None:
    birth_versions(tmp_path)
    code, out = _diff(
        "1.001193@1", str(tmp_path / "birth_v3.yaml"), "--dir", str(tmp_path), "--json"
    )
    assert code == 0, out
    diff = json.loads(out)
    assert diff["after"] == str(tmp_path / "birth_v3.yaml")
    assert [c["kind"] for c in diff["changes"]] == ["step_removed"]
    assert [c["kind"] for c in diff["wording"]] == ["name"]


def test_an_unknown_version_is_one_line_saying_which_exist(tmp_path: Path) -> None:
    birth_versions(tmp_path)
    code, out = _diff("1.001193@1", "1.001193@7", "--dir", str(tmp_path))
    assert code == 1
    assert out.strip() == "1.001193@7 is not in the catalog (known versions: 1, 2, 3)"
    code, out = _diff("1.001193@1", str(tmp_path / "missing.yaml"))
    assert code == 1 and "cannot read" in out
