"""``motcua bottlenecks --propose CODE``: from the read model to a draft the designer can diff
and validate (the planted rubber stamp ``sign`` is gone)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from motcua.cli import app
from tests.cli.test_analysis_cli import read_model  # noqa: F401 - the module's fixture

runner = CliRunner()


def _invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args), terminal_width=200)
    return result.exit_code, result.output


def test_propose_writes_a_valid_draft_without_the_stamp(read_model: Path) -> None:  # noqa: F811
    draft = read_model / "residence_v2.yaml"
    code, out = _invoke("bottlenecks", "--propose", "1.004222", "--out", str(draft))
    assert code == 0, out
    assert out.startswith(f"Draft version 2 of 1.004222 written to {draft}:")
    assert "removed step 'sign'" in out
    assert _invoke("procedures", "validate", str(draft)) == (0, "1 definition valid\n")
    code, out = _invoke("procedures", "diff", "1.004222@1", str(draft), "--json")
    assert code == 0, out
    changes = json.loads(out)["changes"]
    assert [(c["kind"], c["subject"]) for c in changes] == [("step_removed", "sign")]


def test_propose_as_json_and_unknown_codes(read_model: Path) -> None:  # noqa: F811
    code, out = _invoke("bottlenecks", "--propose", "1.004222", "--json")
    assert code == 0, out
    answer = json.loads(out)
    assert (answer["version"], answer["base_version"]) == (2, 1)
    assert Path(answer["draft"]) == read_model / "var" / "drafts" / "permanent_residence_v2.yaml"
    code, out = _invoke("bottlenecks", "--propose", "9.999999")
    assert code == 1 and "unknown procedure 9.999999 for --propose; known: " in out
