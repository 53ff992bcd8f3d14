"""The API's request metrics: counted and timed by route template and status, in flight; never a
dossier code or any other part of a raw path in a label."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from motcua.api import Officer, build_context, create_app, issue_token
from motcua.definitions import Catalog
from motcua.settings import Settings
from motcua.simulators import serving
from motcua.store import make_engine, migrate

DOSSIER = "000.00.02.H29-260115-0042"
OPERATOR = Officer(id="ops", roles=["operator"], agencies=["commune-police"])


@pytest.fixture
def api(tmp_path: Path, catalog: Catalog) -> Iterator[tuple[httpx.Client, dict[str, str]]]:
    url = f"sqlite:///{tmp_path / 'motcua.db'}"
    migrate(url)
    settings = Settings(environment="test", dev_mode=True, database_url=url, var_dir=tmp_path)
    engine = make_engine(url)
    token = issue_token(settings, OPERATOR, ttl=timedelta(minutes=5))
    try:
        app = create_app(build_context(settings, engine=engine, catalog=catalog))
        # A generous timeout: the 2-core CI runs this beside the rest of the suite (5 s, httpx's
        # default, was once too short there for the first scrape).
        with serving(app) as base, httpx.Client(base_url=base, timeout=30) as client:
            yield client, {"Authorization": f"Bearer {token}"}
    finally:
        engine.dispose()


Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def _samples(client: httpx.Client, auth: dict[str, str]) -> Samples:
    scraped = client.get("/metrics", headers=auth)
    assert scraped.status_code == 200
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(scraped.text)
        if family.name.startswith("motcua_http_")
        for s in family.samples
    }


def test_requests_are_counted_by_route_template_never_by_path(
    api: tuple[httpx.Client, dict[str, str]],
) -> None:
    client, auth = api
    dossier = {"method": "GET", "route": "/v1/dossiers/{code}", "status": "404"}
    count = ("motcua_http_requests_total", frozenset(dossier.items()))
    timed = ("motcua_http_request_duration_seconds_count",
             frozenset({"method": "GET", "route": "/v1/dossiers/{code}"}.items()))  # fmt: skip
    before = _samples(client, auth)
    for _ in range(2):
        assert client.get(f"/v1/dossiers/{DOSSIER}", headers=auth).status_code == 404
    assert client.get("/designer/1.004222").status_code == 303  # a console page: to sign in
    assert client.get("/static/console.css").status_code == 200
    assert client.get(f"/no/such/{DOSSIER}").status_code == 404
    after = _samples(client, auth)

    assert after.get(count, 0) - before.get(count, 0) == 2
    assert after.get(timed, 0) - before.get(timed, 0) == 2
    routes = {dict(labels).get("route") for _, labels in after}
    assert {"/designer/{code}", "/static/{path}", "(none)", "/metrics"} <= routes
    labels = [value for _, pairs in after for _, value in pairs]
    assert not [value for value in labels if DOSSIER in value or "H29" in value]
    # This scrape itself is in flight while it is answered.
    assert after[("motcua_http_requests_in_flight", frozenset())] >= 1
