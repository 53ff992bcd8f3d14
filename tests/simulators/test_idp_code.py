"""The simulated identity provider's code flow: PKCE is enforced, a code is used once, and the
ID token carries the nonce and the client as its audience."""

from __future__ import annotations

import secrets
from urllib.parse import parse_qs, urlparse

import httpx
import jwt
from fastapi.testclient import TestClient

from motcua.api._oidc import pkce_challenge
from motcua.simulators.idp import create_app

CALLBACK = "http://127.0.0.1:9/signin/callback"


def _code(idp: TestClient, verifier: str) -> str:
    asked = {
        "response_type": "code",
        "client_id": "motcua-api",
        "redirect_uri": CALLBACK,
        "state": "s1",
        "nonce": "n1",
        "code_challenge": pkce_challenge(verifier),
        "code_challenge_method": "S256",
    }
    assert idp.get("/authorize", params=asked).status_code == 200
    form = {k: asked[k] for k in ("client_id", "redirect_uri", "state", "nonce", "code_challenge")}
    form |= {"kind": "officer", "sub": "lan", "roles": "chairman", "agencies": "commune-pc"}
    back = idp.post("/authorize", data=form, follow_redirects=False)
    assert back.status_code == 303
    query = parse_qs(urlparse(back.headers["location"]).query)
    assert query["state"] == ["s1"]
    return query["code"][0]


def _exchange(idp: TestClient, code: str, verifier: str) -> httpx.Response:
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": CALLBACK,
        "client_id": "motcua-api",
        "code_verifier": verifier,
    }
    return idp.post("/token", data=form)


def test_the_code_is_exchanged_only_with_its_verifier_and_only_once() -> None:
    idp = TestClient(create_app())
    verifier = secrets.token_urlsafe(32)
    wrong = _exchange(idp, _code(idp, verifier), "another-verifier-" + verifier)
    assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_grant"

    code = _code(idp, verifier)
    answer = _exchange(idp, code, verifier)
    assert answer.status_code == 200, answer.text
    claims = jwt.decode(answer.json()["id_token"], options={"verify_signature": False})
    assert claims["nonce"] == "n1" and claims["aud"] == "motcua-api" and claims["sub"] == "lan"
    assert claims["roles"] == ["chairman"] and claims["agencies"] == ["commune-pc"]
    assert _exchange(idp, code, verifier).json()["error"] == "invalid_grant"  # used once


def test_an_authorization_request_without_pkce_is_refused() -> None:
    idp = TestClient(create_app())
    plain = {"response_type": "code", "client_id": "c", "redirect_uri": CALLBACK, "state": "s"}
    refused = idp.get("/authorize", params=plain)
    assert refused.status_code == 400 and "S256" in refused.json()["error_description"]


def test_the_discovery_document_names_the_code_flow() -> None:
    document = TestClient(create_app()).get("/.well-known/openid-configuration").json()
    assert document["authorization_endpoint"].endswith("/authorize")
    assert document["code_challenge_methods_supported"] == ["S256"]
