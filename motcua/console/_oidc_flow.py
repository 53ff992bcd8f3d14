"""Signing in to the console through the configured identity provider (``Settings.oidc_issuer``):
the OpenID Connect authorization-code flow with PKCE (RFC 7636, S256).

``/signin/oidc`` keeps a fresh ``state``, ``nonce`` and code verifier in the session and sends
the browser to the provider's authorization endpoint; ``/signin/callback`` checks the state,
exchanges the code with the verifier, verifies the ID token exactly as the API verifies a token
(:class:`motcua.api._oidc.IdentityProvider`: signature, issuer, audience, expiry, lifetime), then
its nonce, and starts the session. The console is a public client whose id is the API's
audience (``Settings.oidc_audience``), so its ID tokens are tokens the API accepts.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Any
from urllib.parse import urlencode

import httpx
import jwt
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from motcua.api._claims import ClaimsRefused, principal_from_claims
from motcua.api._oidc import (
    ProviderUnavailable,
    TokenRefused,
    identity_provider,
    pkce_challenge,
)
from motcua.console._render import render
from motcua.console._session import safe_next, start_session
from motcua.console._signin import dev_officers
from motcua.settings import Settings

router = APIRouter()
_FLOW = "oidc_flow"  # the session key of a sign-in under way


class SignInFailed(Exception):
    """The provider's answer cannot sign anyone in; the message says why (for the log)."""


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.context.settings
    return settings


def _callback_url(request: Request) -> str:
    base = _settings(request).console_public_url or str(request.base_url)
    return f"{base.rstrip('/')}/signin/callback"


async def _discover(settings: Settings) -> dict[str, Any]:
    assert settings.oidc_issuer is not None
    url = f"{settings.oidc_issuer.rstrip('/')}/.well-known/openid-configuration"
    async with httpx.AsyncClient(timeout=10) as client:
        answer = await client.get(url)
    answer.raise_for_status()
    document: dict[str, Any] = answer.json()
    if document.get("issuer") != settings.oidc_issuer:
        raise SignInFailed(f"the discovery document names issuer {document.get('issuer')!r}")
    return document


@router.get("/signin/oidc")
async def start(request: Request, next: str | None = None) -> Response:
    settings = _settings(request)
    if settings.oidc_issuer is None:
        return render(request, "error.html", 404, message_key="error.not_found")
    try:
        endpoint = (await _discover(settings))["authorization_endpoint"]
    except (httpx.HTTPError, KeyError, ValueError, SignInFailed):
        return _failed(request, next)
    state, nonce, verifier = (secrets.token_urlsafe(32) for _ in range(3))
    request.session[_FLOW] = {
        "state": state,
        "nonce": nonce,
        "verifier": verifier,
        "next": safe_next(next),
    }
    query = urlencode(
        {
            "response_type": "code",
            "client_id": settings.oidc_audience,
            "redirect_uri": _callback_url(request),
            "scope": "openid",
            "state": state,
            "nonce": nonce,
            "code_challenge": pkce_challenge(verifier),
            "code_challenge_method": "S256",
        }
    )
    return RedirectResponse(f"{endpoint}?{query}", status_code=303)


@router.get("/signin/callback")
async def callback(request: Request, code: str = "", state: str = "") -> Response:
    flow = request.session.pop(_FLOW, None)  # one use: a replayed callback finds nothing
    if not isinstance(flow, dict) or not code or not hmac.compare_digest(state, flow["state"]):
        return _failed(request, None)
    settings = _settings(request)
    try:
        claims = await _id_token_claims(request, settings, code, flow)
        principal = principal_from_claims(settings, claims)
    except (SignInFailed, TokenRefused, ClaimsRefused, ProviderUnavailable, httpx.HTTPError):
        return _failed(request, flow.get("next"))
    start_session(request, principal)
    return RedirectResponse(safe_next(flow.get("next")), status_code=303)


async def _id_token_claims(
    request: Request, settings: Settings, code: str, flow: dict[str, Any]
) -> dict[str, Any]:
    endpoint = (await _discover(settings))["token_endpoint"]
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": _callback_url(request),
        "client_id": settings.oidc_audience,
        "code_verifier": flow["verifier"],
    }
    async with httpx.AsyncClient(timeout=10) as client:
        answer = await client.post(endpoint, data=form)
    if answer.status_code != 200:
        raise SignInFailed(f"the token endpoint answered {answer.status_code}")
    token = answer.json().get("id_token")
    if not isinstance(token, str):
        raise SignInFailed("the token endpoint gave no id_token")
    provider = identity_provider(settings)
    assert provider is not None
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as exc:
        raise SignInFailed(f"the ID token is not a JWT: {exc}") from None
    claims = await run_in_threadpool(provider.verify, token, header)
    nonce = claims.get("nonce")
    if not isinstance(nonce, str) or not hmac.compare_digest(nonce, flow["nonce"]):
        raise SignInFailed("the ID token's nonce is not this sign-in's")
    return claims


def _failed(request: Request, next: str | None) -> Response:
    settings = _settings(request)
    return render(
        request,
        "signin.html",
        400,
        next=safe_next(next),
        dev_mode=settings.dev_mode,
        officers=dev_officers(request) if settings.dev_mode else [],
        provider=settings.oidc_issuer,
        error="desk.signin_failed",
    )
