"""Bearer tokens and who may do what.

Two kinds of token are accepted:
- the identity provider's (``MOTCUA_OIDC_ISSUER``): RS256/ES256, checked against its JWKS
  (:mod:`motcua.api._oidc`); the only kind in production;
- development tokens (HS256, ``motcua tokens issue``): signed with ``MOTCUA_JWT_SECRET`` or, in
  dev mode, the public development key; refused in production.

Either way the claims name the caller by one mapping (:mod:`motcua.api._claims`).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

import jwt
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from motcua.api._claims import ClaimsRefused, claims_of, principal_from_claims
from motcua.api._errors import ApiError
from motcua.api._oidc import ProviderUnavailable, TokenRefused, identity_provider
from motcua.api._principals import SERVICE_SCOPES, Citizen, Officer, Principal, Service
from motcua.settings import MissingSecret, Settings

__all__ = [
    "SERVICE_SCOPES",
    "CallerDep",
    "Citizen",
    "CitizenDep",
    "Officer",
    "OfficerDep",
    "Principal",
    "Service",
    "issue_token",
    "read_token",
    "require_sign_in",
]

DEV_ALGORITHM = "HS256"


def issue_token(settings: Settings, principal: Principal, *, ttl: timedelta) -> str:
    """A development bearer token (HS256) for ``principal``, valid for ``ttl``."""
    now = datetime.now(UTC)
    claims = claims_of(settings, principal) | {
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "iat": int(now.timestamp()),
        "exp": int((now + ttl).timestamp()),
        "jti": principal.jti or uuid.uuid4().hex,
    }
    return jwt.encode(claims, settings.token_key(), algorithm=DEV_ALGORITHM)


def require_sign_in(settings: Settings) -> None:
    """Fail at start-up, not at the first request, when no token could be checked:
    production needs the identity provider; elsewhere a development key will do."""
    if settings.environment == "production":
        if settings.oidc_issuer is None:
            raise MissingSecret(
                "MOTCUA_OIDC_ISSUER is not set: in production tokens come from the identity "
                "provider, never from a shared key"
            )
        return
    if settings.oidc_issuer is None:
        settings.token_key()


def read_token(settings: Settings, token: str) -> Principal:
    """The caller a token names; ``ApiError(401)`` when it is not valid, ``ApiError(503)`` when
    the identity provider's keys cannot be read."""
    provider = identity_provider(settings)
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as exc:
        raise _unauthenticated(f"the token is not valid: {exc}") from None
    algorithm = header.get("alg")
    try:
        if algorithm == DEV_ALGORITHM:
            claims = _development_claims(settings, token)
        elif provider is not None and algorithm in settings.oidc_algorithms:
            claims = provider.verify(token, header)
        else:
            raise TokenRefused(f"tokens signed with {algorithm!r} are not accepted here")
        return principal_from_claims(settings, claims)
    except (TokenRefused, ClaimsRefused) as exc:
        raise _unauthenticated(str(exc)) from None
    except ProviderUnavailable as exc:
        raise ApiError(503, "identity_provider_unavailable", str(exc)) from None


def _development_claims(settings: Settings, token: str) -> dict[str, Any]:
    if settings.environment == "production":
        raise TokenRefused("development tokens (HS256) are refused in production")
    try:
        key = settings.token_key()
    except MissingSecret:
        raise TokenRefused("development tokens are not accepted: no key is configured") from None
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key,
            algorithms=[DEV_ALGORITHM],
            audience=settings.jwt_audience,
            issuer=settings.jwt_issuer,
            options={"require": ["sub", "exp", settings.oidc_kind_claim]},
        )
    except jwt.ExpiredSignatureError:
        raise TokenRefused("the token has expired") from None
    except jwt.PyJWTError as exc:
        raise TokenRefused(f"the token is not valid: {exc}") from None
    return claims


def _unauthenticated(message: str) -> ApiError:
    return ApiError(401, "unauthenticated", message, headers={"WWW-Authenticate": "Bearer"})


_bearer = HTTPBearer(auto_error=False, description="A token from the identity provider")


def caller(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The authenticated caller; 401 without a valid bearer token."""
    if credentials is None:
        raise _unauthenticated("a bearer token is required")
    settings: Settings = request.app.state.context.settings
    return read_token(settings, credentials.credentials)


def citizen(who: Annotated[Principal, Depends(caller)]) -> Citizen:
    if not isinstance(who, Citizen):
        raise ApiError(403, "forbidden", "only a citizen may do this")
    return who


def officer(who: Annotated[Principal, Depends(caller)]) -> Officer:
    if not isinstance(who, Officer):
        raise ApiError(403, "forbidden", "only an officer may do this")
    return who


def operator(request: Request, who: Annotated[Principal, Depends(caller)]) -> Officer:
    """An officer holding the operator role (``MOTCUA_OPERATOR_ROLE``)."""
    role = request.app.state.context.settings.operator_role
    if not isinstance(who, Officer) or role not in who.roles:
        raise ApiError(403, "forbidden", f"only an officer with role {role!r} may see this")
    return who


def service(scope: str) -> Any:
    """A dependency admitting only a service identity holding ``scope``."""

    def dependency(who: Annotated[Principal, Depends(caller)]) -> Service:
        if not isinstance(who, Service) or scope not in who.scopes:
            raise ApiError(403, "forbidden", f"only a service with scope {scope!r} may do this")
        return who

    return Depends(dependency)


CallerDep = Annotated[Principal, Depends(caller)]
CitizenDep = Annotated[Citizen, Depends(citizen)]
OfficerDep = Annotated[Officer, Depends(officer)]
OperatorDep = Annotated[Officer, Depends(operator)]
