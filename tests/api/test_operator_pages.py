"""``/metrics`` and ``/docs`` (with ``/openapi.json``) as the settings allow: to anyone, to
operators only (an officer holding ``MOTCUA_OPERATOR_ROLE``), or not served at all."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from motcua.api import Citizen, Officer, Principal, build_context, create_app, issue_token
from motcua.definitions import Catalog
from motcua.settings import Settings
from motcua.simulators import serving
from motcua.store import make_engine

PAGES = ("/metrics", "/docs", "/openapi.json")
OPERATOR = Officer(id="ops", roles=["operator"], agencies=["commune-police"])
OFFICER = Officer(id="lan", roles=["one-stop-officer"], agencies=["commune-police"])
CITIZEN = Citizen(personal_id="001203004512")


@contextmanager
def api(root: Path, catalog: Catalog, access: str) -> Iterator[tuple[httpx.Client, Settings]]:
    settings = Settings(
        environment="test",
        dev_mode=True,
        var_dir=root,
        api_docs_access=access,
        api_metrics_access=access,
    )
    engine = make_engine(f"sqlite:///{root / 'motcua.db'}")
    app = create_app(build_context(settings, engine=engine, catalog=catalog))
    with serving(app) as base, httpx.Client(base_url=base) as client:
        yield client, settings
    engine.dispose()


def _as(settings: Settings, who: Principal) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_token(settings, who, ttl=timedelta(minutes=5))}"}


def test_operator_only_pages_need_an_operators_token(tmp_path: Path, catalog: Catalog) -> None:
    with api(tmp_path, catalog, "operator") as (client, settings):
        for page in PAGES:
            anonymous = client.get(page)
            assert anonymous.status_code == 401, page
            assert anonymous.json()["code"] == "unauthenticated"
            for who in (OFFICER, CITIZEN):
                refused = client.get(page, headers=_as(settings, who))
                assert refused.status_code == 403, page
                assert "'operator'" in refused.json()["message"]
            assert client.get(page, headers=_as(settings, OPERATOR)).status_code == 200, page
        metrics = client.get("/metrics", headers=_as(settings, OPERATOR))
        assert "motcua_dossiers_submitted_total" in metrics.text
        schema = client.get("/openapi.json", headers=_as(settings, OPERATOR)).json()
        assert "/v1/dossiers" in schema["paths"]


@pytest.mark.parametrize("access", ["public", "off"])
def test_public_pages_are_open_and_switched_off_ones_absent(
    tmp_path: Path, catalog: Catalog, access: str
) -> None:
    with api(tmp_path, catalog, access) as (client, settings):
        for page in PAGES:
            for headers in ({}, _as(settings, OPERATOR)):
                expected = 200 if access == "public" else 404
                assert client.get(page, headers=headers).status_code == expected, page
        # The API itself is served either way.
        assert client.get("/v1/procedures").status_code == 200
