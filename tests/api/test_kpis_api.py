"""``GET /v1/kpis`` over a read model, served over real HTTP on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest

from motcua.analysis import generate
from motcua.api import Officer, build_context, create_app, issue_token
from motcua.definitions import Catalog
from motcua.settings import Settings
from motcua.simulators import serving
from motcua.store import make_engine, migrate, project, session_factory
from tests.analysis.october_log import october_events


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> Iterator[str]:
    url = f"sqlite:///{tmp_path_factory.mktemp('api') / 'motcua.db'}"
    migrate(url)
    engine = make_engine(url)
    with session_factory(engine)() as session:
        project(session, events=generate(60, seed=3))
        session.commit()
    settings = Settings(environment="test", dev_mode=True, var_dir=tmp_path_factory.mktemp("var"))
    context = build_context(settings, engine=engine, catalog=catalog)
    app = create_app(context)
    with serving(app) as base:
        yield base
    engine.dispose()


def test_kpis_per_agency_as_the_cli_gives_them(api: str) -> None:
    answer = httpx.get(f"{api}/v1/kpis", params={"agency": "commune-police"})
    assert answer.status_code == 200
    report = answer.json()
    assert [a["agency"] for a in report["agencies"]] == ["commune-police"]
    on_time = next(i for i in report["agencies"][0]["indicators"] if i["id"] == "on_time")
    assert on_time["denominator"] > 0 and 0 <= on_time["rate"] <= 1


def test_bad_periods_get_a_readable_4xx(api: str) -> None:
    backwards = httpx.get(f"{api}/v1/kpis", params={"from": "2026-03-01", "to": "2026-02-01"})
    assert backwards.status_code == 422
    assert backwards.json()["message"] == "'to' must be after 'from'"
    garbled = httpx.get(f"{api}/v1/kpis", params={"from": "yesterday"})
    assert garbled.status_code == 422
    body = garbled.json()
    assert body["code"] == "invalid_request" and body["details"][0]["field"] == "query.from"


def test_metrics_and_docs_are_served(api: str) -> None:
    settings = Settings(environment="test", dev_mode=True)
    operator = Officer(id="ops", roles=["operator"], agencies=["commune-police"])
    token = issue_token(settings, operator, ttl=timedelta(minutes=5))
    metrics = httpx.get(f"{api}/metrics", headers={"Authorization": f"Bearer {token}"})
    assert "motcua_dossiers_submitted_total" in metrics.text
    assert httpx.get(f"{api}/openapi.json").json()["paths"]["/v1/kpis"]


@pytest.fixture(scope="module")
def october_api(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> Iterator[str]:
    """The hand-built October log of ``tests/analysis/october_log.py``, served."""
    url = f"sqlite:///{tmp_path_factory.mktemp('october') / 'motcua.db'}"
    migrate(url)
    engine = make_engine(url)
    with session_factory(engine)() as session:
        project(session, events=october_events())
        session.commit()
    settings = Settings(environment="test", dev_mode=True, var_dir=tmp_path_factory.mktemp("var"))
    app = create_app(build_context(settings, engine=engine, catalog=catalog))
    with serving(app) as base:
        yield base
    engine.dispose()


def _indicator(report: dict[str, Any], agency: str, indicator: str) -> tuple[int, int]:
    kpis = next(a for a in report["agencies"] if a["agency"] == agency)
    found = next(i for i in kpis["indicators"] if i["id"] == indicator)
    return found["numerator"], found["denominator"]


def test_the_period_is_the_agency_s_local_month(october_api: str) -> None:
    answer = httpx.get(f"{october_api}/v1/kpis", params={"from": "2026-10-01", "to": "2026-11-01"})
    assert answer.status_code == 200, answer.text
    report = answer.json()
    # H1 (1 Oct 06:40 local) in, H2 (1 Nov 06:30 local) out: paid H1 H3 H5 of H1 H3 H4 H5.
    assert _indicator(report, "commune-business-office", "online_payment") == (3, 4)
    # Procedures provided in October: 1.001612 and 1.004222; paid online: 1.001612.
    overall = next(
        i for i in report["overall"]["indicators"] if i["id"] == "procedures_paid_online"
    )
    assert (overall["numerator"], overall["denominator"]) == (1, 2)
    # R4 and R7 were recorded on time; their events say late.
    assert {d["dossier_code"] for d in report["disagreements"]} == {"R4", "R7"}
    explicit = httpx.get(
        f"{october_api}/v1/kpis",
        params={"from": "2026-10-01T00:00:00+07:00", "to": "2026-11-01T00:00:00+07:00"},
    )
    assert explicit.json()["agencies"] == report["agencies"]


def test_an_instant_without_an_offset_gets_a_readable_422(october_api: str) -> None:
    answer = httpx.get(f"{october_api}/v1/kpis", params={"from": "2026-10-01T06:40"})
    assert answer.status_code == 422
    body = answer.json()
    assert body["code"] == "invalid_request" and "no UTC offset" in body["message"]
    assert body["details"][0]["field"] == "query.from"
