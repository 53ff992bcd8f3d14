"""``motcua kpis`` and ``motcua bottlenecks`` on a read model holding a generated log."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import pytest
from typer.testing import CliRunner

from motcua.analysis import generate
from motcua.cli import app
from motcua.settings import get_settings
from motcua.store import make_engine, migrate, project, session_factory
from tests.conftest import ROOT

runner = CliRunner()


@pytest.fixture(scope="module")
def read_model(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """400 permanent-residence dossiers; ``sign`` is planted as a rubber stamp, ``review``
    as the bottleneck."""
    tmp = tmp_path_factory.mktemp("analysis")
    url = f"sqlite:///{tmp / 'motcua.db'}"
    migrate(url)
    engine = make_engine(url)
    events = generate(400, seed=11, plant_bottleneck_step="review", plant_rubber_stamp_step="sign")
    with session_factory(engine)() as session:
        project(session, events=events)
        session.commit()
    engine.dispose()
    with pytest.MonkeyPatch.context() as env:
        env.setenv("MOTCUA_DATABASE_URL", url)
        env.setenv("MOTCUA_VAR_DIR", str(tmp / "var"))
        env.setenv("MOTCUA_PROCEDURES_DIR", str(ROOT / "procedure_defs"))
        get_settings.cache_clear()
        yield tmp
    get_settings.cache_clear()


def _invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args), terminal_width=220)
    return result.exit_code, result.stdout  # what a pipe would get: no logs


def test_bottlenecks_names_the_slow_step_the_stamp_and_draws_the_chart(read_model: Path) -> None:
    code, out = _invoke("bottlenecks")
    assert code == 0, out
    steps_table = out[out.index("Steps: waiting") :]
    first_row = next(line for line in steps_table.splitlines() if "1.004222" in line)
    assert " review " in first_row  # the largest share of lead time comes first
    assert "rubber_stamp" in out and " sign " in out[out.index("Cut candidates") :]
    assert "remove sign" in out and "staff review +1" in out
    chart = read_model / "var" / "bottlenecks.svg"
    svg = ElementTree.parse(chart).getroot()
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    labels = [t.text or "" for t in svg.iter("{http://www.w3.org/2000/svg}text")]
    assert any(label.startswith("review (") for label in labels)


def test_bottlenecks_json_and_filters(read_model: Path) -> None:
    code, out = _invoke("bottlenecks", "--json", "--procedure", "1.004222", "--by-agency")
    assert code == 0, out
    payload = json.loads(out)
    kinds = {(c["kind"], c["subject"]) for c in payload["cut_candidates"]}
    assert ("rubber_stamp", "sign") in kinds and ("rubber_stamp", "review") not in kinds
    assert payload["report"]["by_agency"]
    assert {w["scenario"]["action"] for w in payload["what_if"]} == {"remove", "staff"}

    code, out = _invoke("bottlenecks", "--procedure", "9.999999")
    assert code == 0 and "No dossiers" in out


def test_kpis_tables_and_json(read_model: Path) -> None:
    code, out = _invoke("kpis")
    assert code == 0, out
    assert "on-time" in out.lower() and "commune-police" in out

    code, out = _invoke("kpis", "--json", "--agency", "commune-police")
    assert code == 0, out
    report = json.loads(out)
    assert [a["agency"] for a in report["agencies"]] == ["commune-police"]

    code, out = _invoke("kpis", "--from", "2026-02-01", "--to", "2026-01-01")
    assert code == 2 and "--to must be after --from" in out


def test_export_writes_a_log_pm4py_reads(read_model: Path) -> None:
    import pm4py

    out = read_model / "log.xes"
    code, text = _invoke("export", str(out), "--procedure", "1.004222")
    assert code == 0 and "events written" in text, text
    log = pm4py.read_xes(str(out))
    assert log["case:concept:name"].nunique() == 400
