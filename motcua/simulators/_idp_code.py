"""The simulated identity provider's authorization-code flow with PKCE (RFC 7636, S256 only), as
a relying party such as the console's sign-in uses it.

``GET /authorize`` checks the request and shows a page to pick who signs in (a simulator asks no
password); ``POST /authorize`` issues a one-time code bound to the client, the redirect URI, the
PKCE challenge and the nonce, and redirects back with it and the state. ``POST /token`` with a
form ``grant_type=authorization_code`` exchanges the code and its ``code_verifier`` for an ID
token (``aud`` = the client id, ``nonce`` echoed) and an access token.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from motcua.api._oidc import pkce_challenge

Sign = Callable[[dict[str, Any], Request, str, int], str]
"""Sign ``claims`` for ``audience`` with a lifetime in seconds, as this provider's issuer."""

CODE_TTL_SECONDS = 60
_PARAMS = ("client_id", "redirect_uri", "state", "nonce", "code_challenge")


@dataclass(frozen=True)
class _Grant:
    client_id: str
    redirect_uri: str
    challenge: str
    nonce: str | None
    claims: dict[str, Any]


def _oauth_error(error: str, description: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"error": error, "error_description": description}, status_code=status)


def add_code_flow(app: FastAPI, sign: Sign) -> Callable[[Request], Any]:
    """Add ``/authorize`` to ``app``; return the code exchange for its ``/token`` to call on a
    form-encoded request."""
    grants: dict[str, _Grant] = {}

    @app.get("/authorize", tags=["oidc"], response_model=None)
    async def authorize(request: Request) -> Response:
        query = request.query_params
        if query.get("response_type") != "code":
            return _oauth_error("unsupported_response_type", "only response_type=code")
        if query.get("code_challenge_method") != "S256" or not query.get("code_challenge"):
            return _oauth_error(
                "invalid_request", "PKCE with code_challenge_method=S256 is required"
            )
        missing = [p for p in ("client_id", "redirect_uri", "state") if not query.get(p)]
        if missing:
            return _oauth_error("invalid_request", f"missing: {', '.join(missing)}")
        hidden = "".join(
            f'<input type="hidden" name="{p}" value="{escape(query.get(p) or "")}">'
            for p in _PARAMS
        )
        return HTMLResponse(_PICK_PAGE.replace("{hidden}", hidden))

    @app.post("/authorize", tags=["oidc"], response_model=None)
    async def authorized(request: Request) -> Response:
        form = await request.form()
        value = {k: str(v) for k, v in form.items()}
        claims: dict[str, Any] = {"kind": value.get("kind", "officer")}
        if claims["kind"] == "citizen":
            claims["personal_id"] = value.get("personal_id", "")
        else:
            claims["sub"] = value.get("sub", "")
            claims["roles"] = value.get("roles", "").split()
            claims["agencies"] = value.get("agencies", "").split()
        code = secrets.token_urlsafe(24)
        grants[code] = _Grant(
            client_id=value["client_id"],
            redirect_uri=value["redirect_uri"],
            challenge=value["code_challenge"],
            nonce=value.get("nonce") or None,
            claims=claims,
        )
        back = urlencode({"code": code, "state": value["state"]})
        return RedirectResponse(f"{value['redirect_uri']}?{back}", status_code=303)

    async def exchange(request: Request) -> Response:
        form = {k: str(v) for k, v in (await request.form()).items()}
        if form.get("grant_type") != "authorization_code":
            return _oauth_error("unsupported_grant_type", "only authorization_code")
        grant = grants.pop(form.get("code", ""), None)  # a code is used once
        if grant is None:
            return _oauth_error("invalid_grant", "unknown or used code")
        if (form.get("client_id"), form.get("redirect_uri")) != (
            grant.client_id,
            grant.redirect_uri,
        ):
            return _oauth_error("invalid_grant", "client_id or redirect_uri differ")
        if not hmac.compare_digest(pkce_challenge(form.get("code_verifier", "")), grant.challenge):
            return _oauth_error("invalid_grant", "code_verifier does not match the challenge")
        claims = grant.claims | ({"nonce": grant.nonce} if grant.nonce else {})
        ttl = 3600
        signed = sign(claims, request, grant.client_id, ttl)
        return JSONResponse(
            {"access_token": signed, "id_token": signed, "token_type": "Bearer", "expires_in": ttl}
        )

    return exchange


_PICK_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Simulated identity provider</title></head>
<body><main>
<h1>Simulated identity provider</h1>
<p>A simulator: no password. Say who signs in.</p>
<form method="post" action="/authorize">
{hidden}
<label for="kind">Kind</label>
<select id="kind" name="kind"><option>officer</option><option>citizen</option></select>
<label for="sub">Officer id</label> <input id="sub" name="sub">
<label for="roles">Roles (space-separated)</label> <input id="roles" name="roles">
<label for="agencies">Agencies (space-separated)</label> <input id="agencies" name="agencies">
<label for="personal_id">Citizen's personal ID</label> <input id="personal_id" name="personal_id">
<button type="submit">Sign in</button>
</form>
</main></body></html>
"""
