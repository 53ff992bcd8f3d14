"""Registering a webhook whose URL names an internal address is 422 with the reason, in every
environment and any spelling; loopback only when the test and development setting allows it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from motcua.api import Service, build_context, create_app, issue_token
from motcua.definitions import Catalog
from motcua.settings import Settings
from motcua.simulators import serving
from motcua.store import make_engine, migrate

SPELLINGS = [
    ("http://2130706433/hook", "2130706433 is a loopback address (127.0.0.1)"),
    ("http://0x7f000001/hook", "0x7f000001 is a loopback address (127.0.0.1)"),
    ("http://127.1/hook", "127.1 is a loopback address (127.0.0.1)"),
    ("http://0177.0.0.1/hook", "0177.0.0.1 is a loopback address (127.0.0.1)"),
    ("http://localhost:8000/hook", "localhost names this machine (a loopback address)"),
    ("http://[::ffff:127.0.0.1]/hook", "an IPv4-mapped IPv6 address"),
    ("http://[64:ff9b::a9fe:a9fe]/hook", "a NAT64 address"),
    ("http://100.64.12.1/hook", "a shared (CGNAT) address"),
    ("http://0xa9fea9fe/hook", "a link-local address (169.254.169.254)"),
    ("http://012.0.0.1/hook", "a private address (10.0.0.1)"),
    ("http://0/hook", "the unspecified address (0.0.0.0)"),
]


@contextmanager
def portal_api(
    tmp_path: Path, catalog: Catalog, *, allow_loopback: bool
) -> Iterator[tuple[httpx.Client, dict[str, str]]]:
    settings = Settings(
        environment="test",
        jwt_secret="p" * 40,
        database_url=f"sqlite:///{tmp_path / 'motcua.db'}",
        var_dir=tmp_path / "var",
        webhook_allow_loopback=allow_loopback,
    )
    migrate(settings.database_url)
    engine = make_engine(settings.database_url)
    context = build_context(settings, engine=engine, catalog=catalog)
    portal = Service(id="portal-a", scopes=["portal"], agencies=["commune-police"])
    token = issue_token(settings, portal, ttl=timedelta(hours=1))
    try:
        with serving(create_app(context)) as url, httpx.Client(base_url=url) as http:
            yield http, {"Authorization": f"Bearer {token}"}
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def portal(
    tmp_path_factory: pytest.TempPathFactory, catalog: Catalog
) -> Iterator[tuple[httpx.Client, dict[str, str]]]:
    with portal_api(tmp_path_factory.mktemp("hooks"), catalog, allow_loopback=False) as found:
        yield found


@pytest.mark.parametrize(("url", "reason"), SPELLINGS)
def test_an_internal_address_in_any_spelling_is_refused_at_registration(
    portal: tuple[httpx.Client, dict[str, str]], url: str, reason: str
) -> None:
    http, auth = portal
    answer = http.post("/v1/webhooks", json={"url": url}, headers=auth)
    assert answer.status_code == 422, answer.text
    assert answer.json()["code"] == "invalid_url"
    message = answer.json()["message"]
    assert message.startswith("the webhook URL must point at a public address: ")
    assert reason in message


def test_a_public_url_is_registered(portal: tuple[httpx.Client, dict[str, str]]) -> None:
    http, auth = portal
    answer = http.post("/v1/webhooks", json={"url": "https://8.8.8.8/hook"}, headers=auth)
    assert answer.status_code == 201, answer.text


def test_loopback_is_registered_only_with_the_development_setting(
    tmp_path: Path, catalog: Catalog
) -> None:
    with portal_api(tmp_path, catalog, allow_loopback=True) as (http, auth):
        loopback = http.post("/v1/webhooks", json={"url": "http://127.1:9/hook"}, headers=auth)
        private = http.post("/v1/webhooks", json={"url": "http://10.0.0.1/hook"}, headers=auth)
    assert loopback.status_code == 201, loopback.text
    assert private.status_code == 422 and "private" in private.json()["message"]
