"""``GET /v1/kpis`` over a read model, served over real HTTP on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest

from motcua.analysis import generate
from motcua.api import Officer, build_context, create_app, issue_token
from motcua.definitions import Catalog
from motcua.settings import Settings
from motcua.simulators import serving
from motcua.store import make_engine, migrate, project, session_factory


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
