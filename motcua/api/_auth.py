"""Bearer tokens (JWT, HS256, key from settings) and who may do what.

Three kinds of caller:
- a **citizen**, identified by their 12-digit personal ID (``sub``), sees and acts on their own
  dossiers only;
- an **officer** (``sub`` = officer id) carries ``roles`` and ``agencies``: they see and decide
  only tasks of a role they hold at an agency in their scope;
- a **service** (an agency or portal system, ``sub`` = its id) carries ``scopes`` (``portal``,
  ``population``, ``consultation``) and, for agency systems, ``agencies``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Literal

import jwt
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from motcua.api._errors import ApiError
from motcua.settings import Settings

SERVICE_SCOPES = ("portal", "population", "consultation")


class Citizen(BaseModel):
    model_config = ConfigDict(frozen=True)
    kind: Literal["citizen"] = "citizen"
    personal_id: str = Field(pattern=r"^\d{12}$")
    jti: str | None = None


class Officer(BaseModel):
    model_config = ConfigDict(frozen=True)
    kind: Literal["officer"] = "officer"
    id: str = Field(min_length=1)
    roles: list[str] = Field(min_length=1)
    agencies: list[str] = Field(min_length=1)
    jti: str | None = None

    def may_see(self, agency: str) -> bool:
        return agency in self.agencies


class Service(BaseModel):
    model_config = ConfigDict(frozen=True)
    kind: Literal["service"] = "service"
    id: str = Field(min_length=1)
    scopes: list[Literal["portal", "population", "consultation"]] = Field(min_length=1)
    agencies: list[str] = Field(default_factory=list)
    jti: str | None = None

    @model_validator(mode="after")
    def _portal_names_its_agencies(self) -> Service:
        # A portal acts for the dossiers of its agencies; one naming none would see them all.
        if "portal" in self.scopes and not self.agencies:
            raise ValueError("a portal token must name its agencies (the 'agencies' claim)")
        return self


Principal = Citizen | Officer | Service


def issue_token(settings: Settings, principal: Principal, *, ttl: timedelta) -> str:
    """A signed bearer token for ``principal``, valid for ``ttl``."""
    now = datetime.now(UTC)
    subject = principal.personal_id if isinstance(principal, Citizen) else principal.id
    claims: dict[str, object] = {
        "sub": subject,
        "kind": principal.kind,
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "iat": int(now.timestamp()),
        "exp": int((now + ttl).timestamp()),
    }
    if isinstance(principal, Officer):
        claims |= {"roles": principal.roles, "agencies": principal.agencies}
    elif isinstance(principal, Service):
        claims |= {"scopes": principal.scopes, "agencies": principal.agencies}
    return jwt.encode(claims, settings.token_key(), algorithm="HS256")


def read_token(settings: Settings, token: str) -> Principal:
    """The caller a token names; ``ApiError(401)`` when it is not valid."""
    try:
        claims = jwt.decode(
            token,
            settings.token_key(),
            algorithms=["HS256"],
            audience=settings.jwt_audience,
            issuer=settings.jwt_issuer,
            options={"require": ["sub", "exp", "kind"]},
        )
    except jwt.ExpiredSignatureError:
        raise _unauthenticated("the token has expired") from None
    except jwt.PyJWTError as exc:
        raise _unauthenticated(f"the token is not valid: {exc}") from None
    try:
        kind, subject, jti = claims["kind"], claims["sub"], claims.get("jti")
        if kind == "citizen":
            return Citizen(personal_id=subject, jti=jti)
        if kind == "officer":
            return Officer(
                id=subject, roles=claims.get("roles"), agencies=claims.get("agencies"), jti=jti
            )
        if kind == "service":
            return Service(
                id=subject,
                scopes=claims.get("scopes"),
                agencies=claims.get("agencies") or [],
                jti=jti,
            )
    except ValidationError as exc:
        raise _unauthenticated(
            f"the token's claims are not valid: {exc.errors()[0]['msg']}"
        ) from None
    raise _unauthenticated(f"unknown caller kind {kind!r}")


def _unauthenticated(message: str) -> ApiError:
    return ApiError(401, "unauthenticated", message, headers={"WWW-Authenticate": "Bearer"})


_bearer = HTTPBearer(auto_error=False, description="A token from `motcua tokens issue`")


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


def service(scope: str) -> object:
    """A dependency admitting only a service identity holding ``scope``."""

    def dependency(who: Annotated[Principal, Depends(caller)]) -> Service:
        if not isinstance(who, Service) or scope not in who.scopes:
            raise ApiError(403, "forbidden", f"only a service with scope {scope!r} may do this")
        return who

    return Depends(dependency)


CallerDep = Annotated[Principal, Depends(caller)]
CitizenDep = Annotated[Citizen, Depends(citizen)]
OfficerDep = Annotated[Officer, Depends(officer)]
