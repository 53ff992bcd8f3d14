"""Sign-in through an identity provider: the simulator IdP (``motcua sim idp``) signs tokens, the
API verifies them against its JWKS, both over real HTTP on loopback; the API runs as in
production, where development (HS256) tokens are refused."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from temporalio.testing import WorkflowEnvironment

from motcua.api import Citizen, build_context, create_app, issue_token
from motcua.definitions import Catalog
from motcua.settings import DEV_CALLBACK_KEY, MissingSecret, Settings
from motcua.simulators import serving
from motcua.simulators.idp import create_app as create_idp
from motcua.store import make_engine, migrate
from tests.api.stack import OWNER, api_stack

PDF = b"%PDF-1.4\n%signed in\n%%EOF\n"
LIFETIME_CAP = 3600


@dataclass
class Site:
    """The API and the identity provider it trusts."""

    api: httpx.Client
    idp: str

    def token(self, **claims: Any) -> str:
        answer = httpx.post(f"{self.idp}/token", json=claims)
        assert answer.status_code == 200, answer.text
        return str(answer.json()["access_token"])

    def auth(self, **claims: Any) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(**claims)}"}

    def jwks_requests(self) -> int:
        return int(httpx.get(f"{self.idp}/_sim/stats").json()["jwks_requests"])


@contextmanager
def serving_site(root: Path, catalog: Catalog, **settings: Any) -> Iterator[Site]:
    """An identity provider (``algorithm`` option) and the API trusting it, as in production."""
    url = f"sqlite:///{root / 'motcua.db'}"
    migrate(url)
    engine = make_engine(url)
    algorithm = settings.pop("algorithm", "RS256")
    with serving(create_idp(algorithm=algorithm)) as idp:
        config = Settings(
            environment="production",
            database_url=url,
            var_dir=root / "var",
            oidc_issuer=idp,
            oidc_max_token_lifetime_seconds=LIFETIME_CAP,
            **settings,
        )
        app = create_app(build_context(config, engine=engine, catalog=catalog))
        with serving(app) as base, httpx.Client(base_url=base) as client:
            yield Site(api=client, idp=idp)
    engine.dispose()


@pytest.fixture(scope="module", params=["RS256", "ES256"])
def site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, catalog: Catalog
) -> Iterator[Site]:
    root = tmp_path_factory.mktemp(f"oidc-{request.param}")
    with serving_site(root, catalog, algorithm=request.param) as signed_in:
        yield signed_in


def test_a_citizen_is_known_by_the_personal_id_the_provider_asserts(site: Site) -> None:
    # Each sign-in gets a fresh opaque subject: the personal ID claim, not sub, is the citizen.
    first = site.auth(kind="citizen", personal_id=OWNER)
    uploaded = site.api.post(
        "/v1/documents", headers=first, files={"file": ("ct01.pdf", PDF, "application/pdf")}
    )
    assert uploaded.status_code in (200, 201), uploaded.text
    sha = uploaded.json()["sha256"]
    again = site.auth(kind="citizen", personal_id=OWNER)
    assert site.api.get(f"/v1/documents/{sha}", headers=again).content == PDF
    someone_else = site.auth(kind="citizen", personal_id="079190000123")
    assert site.api.get(f"/v1/documents/{sha}", headers=someone_else).status_code == 404
    assert site.api.get("/v1/dossiers", headers=again).json()["items"] == []


def test_an_officer_sees_only_the_agencies_the_provider_asserts(site: Site) -> None:
    officer = site.auth(
        kind="officer", sub="lan", roles=["one-stop-officer"], agencies=["commune-pc"]
    )
    assert site.api.get("/v1/tasks", headers=officer).status_code == 200
    elsewhere = site.api.get("/v1/tasks", params={"agency": "commune-police"}, headers=officer)
    assert elsewhere.status_code == 403


def test_a_service_holds_only_motcuas_scopes_from_the_provider(site: Site) -> None:
    portal = site.auth(
        kind="service", sub="portal-1", scope="openid profile portal", agencies=["commune-pc"]
    )
    assert site.api.get("/v1/webhooks", headers=portal).status_code == 200
    consultation = site.auth(kind="service", sub="court-1", scope="openid consultation")
    assert site.api.get("/v1/webhooks", headers=consultation).status_code == 403
    none_of_ours = site.auth(kind="service", sub="crm-1", scope="openid profile")
    refused = site.api.get("/v1/webhooks", headers=none_of_ours)
    assert refused.status_code == 401
    assert "scopes" in refused.json()["message"]


def _now() -> int:
    return int(time.time())


CITIZEN = {"kind": "citizen", "personal_id": OWNER}
# (what is wrong, the claims asked of the provider, words of the API's answer)
BAD_TOKENS: list[tuple[str, dict[str, Any], str]] = [
    ("expired", CITIZEN | {"extra": {"iat": _now() - 7200, "exp": _now() - 3600}}, "expired"),
    ("for another audience", CITIZEN | {"audience": "another-api"}, "Audience"),
    ("from another issuer", CITIZEN | {"extra": {"iss": "https://idp.example"}}, "issuer"),
    ("without jti", CITIZEN | {"extra": {"jti": None}}, "jti"),
    ("too long-lived", CITIZEN | {"ttl_seconds": LIFETIME_CAP + 60}, "longer than"),
    ("of an unknown kind", CITIZEN | {"extra": {"kind": "admin"}}, "citizen, officer or service"),
    ("without personal ID", {"kind": "citizen"}, "personal_id"),
]


@pytest.mark.parametrize(("wrong", "claims", "words"), BAD_TOKENS, ids=[b[0] for b in BAD_TOKENS])
def test_the_api_refuses_a_token(
    site: Site, wrong: str, claims: dict[str, Any], words: str
) -> None:
    token = site.token(**claims)
    answer = site.api.get("/v1/dossiers", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 401, answer.text
    assert answer.headers["www-authenticate"] == "Bearer"
    assert answer.json()["code"] == "unauthenticated"
    assert words in answer.json()["message"], answer.json()


def test_development_tokens_and_unsigned_ones_are_refused_in_production(site: Site) -> None:
    development = Settings(environment="development", dev_mode=True)
    hs256 = issue_token(development, Citizen(personal_id=OWNER), ttl=timedelta(minutes=5))
    claims = {"kind": "citizen", "personal_id": OWNER, "sub": "x", "jti": "j", "exp": _now() + 60}
    unsigned = jwt.encode(claims, None, algorithm="none")
    for token, words in (
        (hs256, "refused in production"),
        (unsigned, "not accepted"),
        ("not-a-jwt", "not valid"),
    ):
        answer = site.api.get("/v1/dossiers", headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 401, answer.text
        assert words in answer.json()["message"]


def test_a_token_signed_by_another_provider_is_refused(site: Site) -> None:
    with serving(create_idp(issuer=site.idp)) as impostor:  # claims to be the same issuer
        forged = httpx.post(
            f"{impostor}/token", json={"kind": "citizen", "personal_id": OWNER}
        ).json()["access_token"]
    answer = site.api.get("/v1/dossiers", headers={"Authorization": f"Bearer {forged}"})
    assert answer.status_code == 401
    assert "publishes no key" in answer.json()["message"]


def test_a_rotated_key_is_fetched_when_a_token_first_names_it(
    tmp_path: Path, catalog: Catalog
) -> None:
    with serving_site(tmp_path, catalog, oidc_jwks_min_refetch_seconds=0) as site:
        before = site.auth(kind="citizen", personal_id=OWNER)
        for _ in range(3):
            assert site.api.get("/v1/dossiers", headers=before).status_code == 200
        assert site.jwks_requests() == 1  # cached
        rotated = httpx.post(f"{site.idp}/_sim/rotate").json()
        after = site.auth(kind="citizen", personal_id=OWNER)
        assert jwt.get_unverified_header(after["Authorization"][7:])["kid"] == rotated["kid"]
        assert site.api.get("/v1/dossiers", headers=after).status_code == 200
        assert site.api.get("/v1/dossiers", headers=before).status_code == 200  # old key kept
        assert site.jwks_requests() == 2


def test_unknown_key_ids_do_not_make_the_api_hammer_the_provider(
    tmp_path: Path, catalog: Catalog
) -> None:
    with serving_site(tmp_path, catalog, oidc_jwks_min_refetch_seconds=3600) as site:
        valid = site.auth(kind="citizen", personal_id=OWNER)
        assert site.api.get("/v1/dossiers", headers=valid).status_code == 200
        fetched = site.jwks_requests()
        with serving(create_idp(issuer=site.idp)) as impostor:
            for _ in range(10):
                httpx.post(f"{impostor}/_sim/rotate", json={"retire": True})  # a new kid each
                forged = httpx.post(
                    f"{impostor}/token", json={"kind": "citizen", "personal_id": OWNER}
                ).json()["access_token"]
                answer = site.api.get("/v1/dossiers", headers={"Authorization": f"Bearer {forged}"})
                assert answer.status_code == 401
        assert site.jwks_requests() == fetched


def test_production_refuses_to_start_without_an_identity_provider(
    tmp_path: Path, catalog: Catalog
) -> None:
    settings = Settings(environment="production", var_dir=tmp_path, jwt_secret="k" * 40)
    engine = make_engine(f"sqlite:///{tmp_path / 'motcua.db'}")
    with pytest.raises(MissingSecret, match="MOTCUA_OIDC_ISSUER is not set"):
        create_app(build_context(settings, engine=engine, catalog=catalog))
    engine.dispose()


async def test_a_citizen_files_and_an_officer_receives_it_signed_in_through_the_provider(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    with serving(create_idp(algorithm="ES256")) as idp:
        production = {
            "environment": "production",
            "dev_mode": False,
            "oidc_issuer": idp,
            "payment_callback_secret": DEV_CALLBACK_KEY,
            "evidence_pepper": "p" * 40,
            "webhook_allow_loopback": False,  # refused in production; no webhook here
        }
        async with api_stack(dev_env, catalog, tmp_path, settings=production) as api:

            def signed_in(**claims: Any) -> dict[str, str]:
                token = httpx.post(f"{idp}/token", json=claims).json()["access_token"]
                return {"Authorization": f"Bearer {token}"}

            citizen = signed_in(kind="citizen", personal_id=OWNER)
            upload = await api.http.post(
                "/v1/documents",
                headers=citizen,
                files={"file": ("ct01.pdf", PDF, "application/pdf")},
            )
            assert upload.status_code in (200, 201), upload.text
            filed = await api.http.post(
                "/v1/dossiers",
                json={
                    "procedure": "1.004222",
                    "applicant": {"personal_id": OWNER, "full_name": "Nguyễn Thị Lan"},
                    "documents": [{"id": "ct01", "sha256": upload.json()["sha256"]}],
                },
                headers=citizen | {"Idempotency-Key": f"oidc-{uuid.uuid4().hex}"},
            )
            assert filed.status_code in (201, 202), filed.text
            officer = signed_in(
                kind="officer", sub="lan", roles=["one-stop-officer"], agencies=["commune-police"]
            )
            task = await _inbox_task(api.http, officer)
            claimed = await api.http.post(f"/v1/tasks/{task}/claim", headers=officer)
            assert claimed.status_code == 200, claimed.text


async def _inbox_task(http: httpx.AsyncClient, officer: dict[str, str]) -> str:
    for _ in range(400):
        items = (await http.get("/v1/tasks", headers=officer)).json()["items"]
        if items:
            return str(items[0]["task_id"])
        await asyncio.sleep(0.05)
    raise AssertionError("the dossier never reached the officer's inbox")


def test_an_unreachable_provider_is_a_503_not_a_500(tmp_path: Path, catalog: Catalog) -> None:
    with serving(create_idp()) as idp:
        token = httpx.post(f"{idp}/token", json=CITIZEN).json()["access_token"]
    # The provider is gone before the API ever fetched its keys.
    settings = Settings(environment="production", var_dir=tmp_path, oidc_issuer=idp)
    engine = make_engine(f"sqlite:///{tmp_path / 'motcua.db'}")
    migrate(f"sqlite:///{tmp_path / 'motcua.db'}")
    app = create_app(build_context(settings, engine=engine, catalog=catalog))
    with serving(app) as base:
        answer = httpx.get(f"{base}/v1/dossiers", headers={"Authorization": f"Bearer {token}"})
    engine.dispose()
    assert answer.status_code == 503
    assert answer.json()["code"] == "identity_provider_unavailable"
    assert idp in answer.json()["message"]


def test_a_provider_outage_signs_no_one_out_whose_key_is_known(
    tmp_path: Path, catalog: Catalog
) -> None:
    with serving_site(tmp_path, catalog, oidc_jwks_min_refetch_seconds=0) as site:
        known = site.auth(**CITIZEN)
        assert site.api.get("/v1/dossiers", headers=known).status_code == 200
        with serving(create_idp(issuer=site.idp)) as other:
            unknown = httpx.post(f"{other}/token", json=CITIZEN).json()["access_token"]
        httpx.put(f"{site.idp}/_sim/knobs", json={"outage": True})
        # A key it cannot look up is the provider's fault, not the caller's: 503.
        answer = site.api.get("/v1/dossiers", headers={"Authorization": f"Bearer {unknown}"})
        assert answer.status_code == 503
        assert answer.json()["code"] == "identity_provider_unavailable"
        assert site.api.get("/v1/dossiers", headers=known).status_code == 200
