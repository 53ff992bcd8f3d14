"""Who is signed in to the console, and the CSRF token of their forms.

The session cookie (Starlette's, signed, HttpOnly, SameSite=Lax) holds the signed-in caller as
the same claims a token carries, and a random CSRF token that every form posts back.
"""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from motcua.api._claims import ClaimsRefused, claims_of, principal_from_claims
from motcua.api._principals import Citizen, Officer, Principal
from motcua.settings import Settings

CSRF_FIELD = "csrf_token"


class SignInRequired(Exception):
    """Raised by a page that needs a signed-in caller of some kind; answered by a redirect."""


class CsrfRefused(Exception):
    """A form posted without the session's CSRF token."""


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.context.settings
    return settings


def start_session(request: Request, principal: Principal) -> None:
    """Sign ``principal`` in: a fresh session (and CSRF token), so nothing carries over."""
    request.session.clear()
    request.session["claims"] = claims_of(_settings(request), principal)
    request.session[CSRF_FIELD] = secrets.token_urlsafe(32)


def end_session(request: Request) -> None:
    request.session.clear()


def signed_in(request: Request) -> Principal | None:
    """The caller the session names, or None."""
    claims = request.session.get("claims")
    if not isinstance(claims, dict):
        return None
    try:
        return principal_from_claims(_settings(request), claims)
    except ClaimsRefused:
        return None


def require_officer(request: Request) -> Officer:
    """The signed-in officer; otherwise off to the sign-in page (and back here afterwards)."""
    principal = signed_in(request)
    if not isinstance(principal, Officer):
        raise SignInRequired
    return principal


def require_citizen(request: Request) -> Citizen:
    principal = signed_in(request)
    if not isinstance(principal, Citizen):
        raise SignInRequired
    return principal


def redirect_to_sign_in(request: Request, _: Exception) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/signin?next={quote(target, safe='')}", status_code=303)


def csrf_token(request: Request) -> str:
    """The session's CSRF token, made on first use (signed-out forms, e.g. sign-in, need one)."""
    token = request.session.get(CSRF_FIELD)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session[CSRF_FIELD] = token
    return token


async def check_csrf(request: Request) -> None:
    """Dependency of every form POST: the posted token must be the session's."""
    form = await request.form()
    posted = form.get(CSRF_FIELD)
    expected = request.session.get(CSRF_FIELD)
    if not (isinstance(posted, str) and isinstance(expected, str)):
        raise CsrfRefused
    if not hmac.compare_digest(posted, expected):
        raise CsrfRefused


def safe_next(target: str | None) -> str:
    """Where to go after sign-in: a path on this site only (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/"
