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
from tests.analysis.october_log import october_events
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


@pytest.fixture(scope="module")
def october(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The hand-built October log of ``tests/analysis/october_log.py`` in a read model."""
    tmp = tmp_path_factory.mktemp("october")
    url = f"sqlite:///{tmp / 'motcua.db'}"
    migrate(url)
    engine = make_engine(url)
    with session_factory(engine)() as session:
        project(session, events=october_events())
        session.commit()
    engine.dispose()
    with pytest.MonkeyPatch.context() as env:
        env.setenv("MOTCUA_DATABASE_URL", url)
        env.setenv("MOTCUA_VAR_DIR", str(tmp / "var"))
        env.setenv("MOTCUA_PROCEDURES_DIR", str(ROOT / "procedure_defs"))
        env.delenv("MOTCUA_AGENCY_TIMEZONE", raising=False)  # the default, Asia/Ho_Chi_Minh
        get_settings.cache_clear()
        yield tmp
    get_settings.cache_clear()


def test_kpis_periods_are_local_calendar_days(october: Path) -> None:
    code, out = _invoke("kpis", "--json", "--from", "2026-10-01", "--to", "2026-11-01")
    assert code == 0, out
    report = json.loads(out)
    office = next(a for a in report["agencies"] if a["agency"] == "commune-business-office")
    payment = next(i for i in office["indicators"] if i["id"] == "online_payment")
    # H1 (1 Oct 06:40 local) is in, H2 (1 Nov 06:30 local) is out: paid H1 H3 H5 of 4.
    assert (payment["numerator"], payment["denominator"]) == (3, 4)
    assert report["timezone"] == "Asia/Ho_Chi_Minh"
    # The same month given as explicit instants with their offset.
    code, out = _invoke("kpis", "--json", "--from", "2026-10-01T00:00:00+07:00",
                        "--to", "2026-11-01T00:00:00+07:00")  # fmt: skip
    assert code == 0 and json.loads(out)["agencies"] == report["agencies"]


def test_kpis_list_the_dossiers_whose_recorded_flag_is_wrong(october: Path) -> None:
    code, out = _invoke("kpis", "--agency", "commune-police", "--from", "2026-10-01",
                        "--to", "2026-11-01")  # fmt: skip
    assert code == 0, out
    listing = out[out.index("Recorded timeliness that disagrees") :]
    assert " R4 " in listing and " R7 " in listing and " R3 " not in listing
    assert "provided in the period" in out  # the procedures' denominator is said
    code, out = _invoke("kpis", "--json", "--agency", "commune-police", "--from", "2026-10-01")
    assert {d["dossier_code"] for d in json.loads(out)["disagreements"]} == {"R4", "R7"}


def test_a_bound_without_an_offset_is_refused_readably(october: Path) -> None:
    result = runner.invoke(app, ["kpis", "--from", "2026-10-01T06:40"], terminal_width=220)
    assert result.exit_code == 2
    assert "no UTC offset" in result.output


def test_bottlenecks_and_export_since_a_local_day(october: Path) -> None:
    # Since 1 Nov local midnight (31 Oct 17:00 UTC): only H2, filed 1 Nov 06:30 local.
    code, out = _invoke("bottlenecks", "--json", "--since", "2026-11-01")
    assert code == 0, out
    procedures = json.loads(out)["report"]["procedures"]
    assert [(p["procedure"], p["dossiers"]) for p in procedures] == [("1.001612", 1)]
    code, out = _invoke("export", str(october / "nov.xes"), "--since", "2026-11-01")
    assert code == 0 and "2 events written" in out, out  # H2: submitted, fee requested
