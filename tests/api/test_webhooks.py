"""Webhook subscriptions over HTTP as a portal integrator uses them: subscribe, receive a real
dossier's events signed and in order (and the national portal its status), watch deliveries,
unsubscribe; another service's subscription does not exist for you."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from temporalio.testing import WorkflowEnvironment

from adapters.signing import verify
from motcua.api import build_context, create_app
from motcua.definitions import Catalog
from motcua.dossier import EVENT_TYPES
from motcua.outbox import Dispatcher
from motcua.settings import Settings
from motcua.simulators import serving
from motcua.simulators.idp import create_app as create_idp
from motcua.store import make_engine, migrate, session_factory
from tests.api.stack import ApiStack, api_stack
from tests.outbox.conftest import Receiver, drain

HOOK = {"url": "https://portal.example.gov.vn/motcua/events"}
PORTAL_AGENCIES = ["commune-police", "commune-pc"]


async def subscribe(api: ApiStack, who: dict[str, str], **body: Any) -> dict[str, Any]:
    answer = await api.http.post("/v1/webhooks", json=HOOK | body, headers=who)
    assert answer.status_code == 201, answer.text
    created: dict[str, Any] = answer.json()
    return created


async def test_subscriptions_are_private_to_their_service(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    async with api_stack(dev_env, catalog, tmp_path) as api:
        mine = api.service("portal-a", ["portal"], PORTAL_AGENCIES)
        theirs = api.service("portal-b", ["portal"], PORTAL_AGENCIES)
        created = await subscribe(api, mine, event_types=["dossier.submitted"])
        other = await subscribe(api, theirs)
        assert created["secret"].startswith("whsec_") and len(created["secret"]) > 40
        assert (created["active"], created["pending"], created["parked"]) == (True, 0, 0)
        path = f"/v1/webhooks/{created['id']}"

        listed = (await api.http.get("/v1/webhooks", headers=mine)).json()
        assert [w["id"] for w in listed] == [created["id"]]
        assert "secret" not in listed[0]
        shown = (await api.http.get(path, headers=mine)).json()
        assert shown["event_types"] == ["dossier.submitted"] and "secret" not in shown

        for method, suffix in [
            ("GET", ""),
            ("DELETE", ""),
            ("GET", "/deliveries"),
            ("POST", "/retry"),
        ]:
            answer = await api.http.request(method, path + suffix, headers=theirs)
            assert answer.status_code == 404, (method, suffix, answer.text)
            assert answer.json()["code"] == "not_found"
        unknown = await api.http.get("/v1/webhooks/wh_nope", headers=mine)
        assert unknown.status_code == 404
        assert (
            await api.http.get(f"/v1/webhooks/{other['id']}", headers=theirs)
        ).status_code == 200
        portal_sync = await api.http.get("/v1/webhooks/national-portal", headers=mine)
        assert portal_sync.status_code == 404

        gone = await api.http.delete(path, headers=mine)
        assert gone.status_code == 204
        assert (await api.http.get(path, headers=mine)).json()["active"] is False


async def test_only_portal_services_subscribe_and_bad_subscriptions_are_refused(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    async with api_stack(dev_env, catalog, tmp_path) as api:
        for who, status in [
            ({}, 401),
            (api.citizen(), 403),
            (api.officer(["one-stop-officer"], ["commune-police"]), 403),
            (api.service("police-system", ["population"]), 403),
        ]:
            for method, path in [("POST", "/v1/webhooks"), ("GET", "/v1/webhooks")]:
                answer = await api.http.request(method, path, json=HOOK, headers=who)
                assert answer.status_code == status, (who, method, answer.text)

        portal = api.service("portal-a", ["portal"], PORTAL_AGENCIES)
        for body, code in [
            ({"url": "ftp://portal.example/x"}, "invalid_url"),
            ({"url": "not a url"}, "invalid_url"),
            ({"url": "https://user:pw@portal.example/x"}, "invalid_url"),
            (HOOK | {"event_types": ["dossier.exploded"]}, "unknown_event_type"),
            (HOOK | {"agencies": ["ministry-of-magic"]}, "unknown_agency"),
            (HOOK | {"colour": "blue"}, "invalid_request"),
        ]:
            answer = await api.http.post("/v1/webhooks", json=body, headers=portal)
            assert answer.status_code == 422, (body, answer.text)
            assert answer.json()["code"] == code

        provincial = api.service("province-app", ["portal"], ["commune-police"])
        outside = await api.http.post(
            "/v1/webhooks", json=HOOK | {"agencies": ["commune-pc"]}, headers=provincial
        )
        assert outside.status_code == 403
        scoped = await subscribe(api, provincial)
        assert scoped["agencies"] == ["commune-police"]
        # Every type of the event contract can be subscribed to, the newer ones included.
        newer = ["consultation.delivered", "population.changed", "step.started"]
        every = await subscribe(api, portal, event_types=sorted(EVENT_TYPES))
        assert set(newer) <= set(every["event_types"]) == EVENT_TYPES


async def test_a_dossier_s_events_reach_the_webhook_signed_and_in_order(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    found = Receiver()
    with serving(found.app()) as url:
        found.url = url
        async with api_stack(dev_env, catalog, tmp_path) as api:
            portal = api.service("portal-a", ["portal"], PORTAL_AGENCIES)
            hook = await subscribe(api, portal, url=found.hook(), agencies=["commune-police"])
            dossier = await api.h.submit("1.004222")
            await api.h.decide(dossier, "receive", "accept")
            code = (await api.h.wait_status(dossier, "awaiting_payment")).dossier_code
            # The live status runs ahead of the log: wait until the fee request is logged too.
            for _ in range(400):
                if "fee.requested" in api.h.events(code):
                    break
                await asyncio.sleep(0.05)
            logged = api.h.sequence_numbers(code)
            assert "dossier.accepted" in api.h.events(code)

            engine = make_engine(api.settings.database_url)
            sessions = session_factory(engine)
            try:
                async with Dispatcher(
                    sessions, settings=api.settings, adapters_config=api.h.adapters_config
                ) as dispatcher:
                    await drain(dispatcher, until=lambda: len(found.seqs(code)) >= len(logged))
            finally:
                engine.dispose()

            assert found.seqs(code)[: len(logged)] == logged == list(range(1, len(logged) + 1))
            for got in found.accepted:
                verify(hook["secret"], got.body, got.headers, path=got.path)
            kinds = [r.event["type"] for r in found.accepted]
            assert kinds[0] == "dossier.submitted" and "dossier.accepted" in kinds

            async with httpx.AsyncClient() as http:
                held = await http.get(f"{api.h.sims['portal']}/v1/dossiers/{code}/status")
            assert held.status_code == 200 and held.json()["seq"] >= logged[-1]

            path = f"/v1/webhooks/{hook['id']}/deliveries"
            page = (await api.http.get(path, params={"limit": 2}, headers=portal)).json()
            assert [i["seq"] for i in page["items"]] == sorted(found.seqs(code), reverse=True)[:2]
            assert page["next_offset"] == 2 and page["total"] == len(found.accepted)
            assert {i["status"] for i in page["items"]} == {"delivered"}
            parked = await api.http.get(path, params={"status": "parked"}, headers=portal)
            assert parked.json()["items"] == []
            retried = await api.http.post(f"/v1/webhooks/{hook['id']}/retry", headers=portal)
            assert retried.json() == {"unparked": 0}


@contextmanager
def _production_api(tmp_path: Path, catalog: Catalog) -> Iterator[tuple[str, dict[str, str]]]:
    with serving(create_idp()) as idp:  # production tokens come from an identity provider
        settings = Settings(
            environment="production",
            oidc_issuer=idp,
            database_url=f"sqlite:///{tmp_path / 'prod.db'}",
            var_dir=tmp_path / "var",
        )
        migrate(settings.database_url)
        engine = make_engine(settings.database_url)
        context = build_context(settings, engine=engine, catalog=catalog)
        portal = {
            "kind": "service",
            "sub": "portal-a",
            "scope": "portal",
            "agencies": PORTAL_AGENCIES,
        }
        token = httpx.post(f"{idp}/token", json=portal).json()["access_token"]
        try:
            with serving(create_app(context)) as url:  # no lifespan: no engine needed here
                yield url, {"Authorization": f"Bearer {token}"}
        finally:
            engine.dispose()


async def test_production_requires_https(tmp_path: Path, catalog: Catalog) -> None:
    with _production_api(tmp_path, catalog) as (url, auth):
        async with httpx.AsyncClient(base_url=url) as http:
            plain = await http.post(
                "/v1/webhooks", json={"url": "http://portal.example/x"}, headers=auth
            )
            assert plain.status_code == 422 and "https" in plain.json()["message"]
            for inside, reason in [
                ("https://127.0.0.1/x", "loopback"),
                ("https://10.1.2.3/x", "private"),
                ("https://localhost/x", "loopback"),
            ]:
                refused = await http.post("/v1/webhooks", json={"url": inside}, headers=auth)
                assert refused.status_code == 422, inside
                assert "public address" in refused.json()["message"]
                assert reason in refused.json()["message"]
            secure = await http.post("/v1/webhooks", json=HOOK, headers=auth)
            assert secure.status_code == 201, secure.text
