"""How a token's claims name a caller: one explicit mapping, the same for the identity provider's
tokens and the development ones, so a principal never depends on which signed it.

=========  ==============================================================================
kind       claim ``oidc_kind_claim`` (``kind``): ``citizen``, ``officer`` or ``service``
citizen    ``personal_id`` = claim ``oidc_personal_id_claim`` (``personal_id``), 12 digits.
           Not ``sub``: VNeID and other OIDC providers may give each client its own opaque
           (pairwise) subject, while motcua matches dossiers by the personal ID.
officer    ``id`` = ``sub``; ``roles`` = claim ``oidc_roles_claim`` (``roles``), ``agencies`` =
           claim ``oidc_agencies_claim`` (``agencies``); both lists, both required.
service    ``id`` = ``sub`` (the client id of a client-credentials grant); ``scopes`` = claim
           ``oidc_scope_claim`` (``scope``), a space-separated string or a list, of which only
           motcua's scopes count (``openid``, ``profile`` are ignored); ``agencies`` optional.
all        ``jti`` = claim ``jti``, kept so a decision can name the token that made it.
=========  ==============================================================================
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from motcua.api._principals import SERVICE_SCOPES, Citizen, Officer, Principal, Service
from motcua.settings import Settings


class ClaimsRefused(Exception):
    """The claims do not name a caller motcua knows; the message says which claim is wrong."""


def principal_from_claims(settings: Settings, claims: dict[str, Any]) -> Principal:
    """The caller ``claims`` name, by the mapping above; ``ClaimsRefused`` otherwise."""
    kind = claims.get(settings.oidc_kind_claim)
    jti = claims.get("jti") if isinstance(claims.get("jti"), str) else None
    try:
        if kind == "citizen":
            return Citizen(personal_id=claims.get(settings.oidc_personal_id_claim), jti=jti)
        if kind == "officer":
            return Officer(
                id=claims.get("sub"),
                roles=claims.get(settings.oidc_roles_claim),
                agencies=claims.get(settings.oidc_agencies_claim),
                jti=jti,
            )
        if kind == "service":
            return Service(
                id=claims.get("sub"),
                scopes=_motcua_scopes(claims.get(settings.oidc_scope_claim)),
                agencies=claims.get(settings.oidc_agencies_claim) or [],
                jti=jti,
            )
    except ValidationError as exc:
        error = exc.errors()[0]
        field = ".".join(str(p) for p in error["loc"])
        raise ClaimsRefused(f"the token's claims are not valid: {field}: {error['msg']}") from None
    raise ClaimsRefused(
        f"claim {settings.oidc_kind_claim!r} must be citizen, officer or service, not {kind!r}"
    )


def _motcua_scopes(value: Any) -> list[str]:
    granted = value.split() if isinstance(value, str) else value
    if not isinstance(granted, list):
        return []
    return [scope for scope in granted if scope in SERVICE_SCOPES]


def claims_of(settings: Settings, principal: Principal) -> dict[str, Any]:
    """The claims that name ``principal`` (the inverse mapping, for tokens motcua signs)."""
    if isinstance(principal, Citizen):
        claims: dict[str, Any] = {
            "sub": principal.personal_id,
            settings.oidc_personal_id_claim: principal.personal_id,
        }
    elif isinstance(principal, Officer):
        claims = {
            "sub": principal.id,
            settings.oidc_roles_claim: principal.roles,
            settings.oidc_agencies_claim: principal.agencies,
        }
    else:
        claims = {
            "sub": principal.id,
            settings.oidc_scope_claim: " ".join(principal.scopes),
            settings.oidc_agencies_claim: principal.agencies,
        }
    return claims | {settings.oidc_kind_claim: principal.kind}
