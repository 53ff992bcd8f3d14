"""Bearer tokens an identity provider signs (OIDC, RS256/ES256), checked against its JWKS.

The provider (VNeID, a province's IdP, or ``motcua sim idp``) publishes its public keys at a
JWKS URL, named in its discovery document. Keys are cached; a token signed with a key id the
cache does not know makes the cache refetch (the provider rotated its key), at most once per
``oidc_jwks_min_refetch_seconds`` so a flood of made-up key ids cannot turn the API into a
client hammering the provider.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
import jwt

from motcua.settings import Settings

Fetch = Callable[[str], dict[str, Any]]

# What an identity provider's token must carry besides its signature.
REQUIRED_CLAIMS = ("iss", "aud", "sub", "exp", "iat", "jti")


class TokenRefused(Exception):
    """The token is not one the identity provider signed for us, now; the message says why."""


class ProviderUnavailable(Exception):
    """The identity provider's discovery document or JWKS could not be read."""


def _fetch_json(url: str) -> dict[str, Any]:
    try:
        answer = httpx.get(url, timeout=10, follow_redirects=False)
        answer.raise_for_status()
        document = answer.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise ProviderUnavailable(f"cannot read {url}: {exc}") from None
    if not isinstance(document, dict):
        raise ProviderUnavailable(f"{url} is not a JSON object")
    return document


class JwksCache:
    """The provider's signing keys by key id, refetched when stale or when a kid is unknown."""

    def __init__(
        self, url: str, *, lifespan: float, min_refetch: float, fetch: Fetch = _fetch_json
    ) -> None:
        self.url = url
        self._lifespan, self._min_refetch, self._fetch = lifespan, min_refetch, fetch
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at: float | None = None
        self._lock = threading.Lock()
        self.fetches = 0

    def key(self, kid: str) -> jwt.PyJWK:
        """The public key ``kid``; ``TokenRefused`` when the provider does not publish it."""
        with self._lock:
            now = time.monotonic()
            stale = self._fetched_at is None or now - self._fetched_at >= self._lifespan
            unknown = kid not in self._keys
            may_refetch = self._fetched_at is None or now - self._fetched_at >= self._min_refetch
            if stale or (unknown and may_refetch):
                self._refresh(now)
            if kid not in self._keys:
                raise TokenRefused(f"the identity provider publishes no key {kid!r}")
            return self._keys[kid]

    def _refresh(self, now: float) -> None:
        document = self._fetch(self.url)
        self.fetches += 1
        try:
            keys = jwt.PyJWKSet.from_dict(document).keys
        except jwt.PyJWKSetError as exc:
            raise ProviderUnavailable(
                f"the JWKS at {self.url} holds no usable key: {exc}"
            ) from None
        self._keys = {key.key_id: key for key in keys if key.key_id}
        self._fetched_at = now


class IdentityProvider:
    """Verifies the configured provider's tokens: signature, issuer, audience, expiry, a lifetime
    cap and a ``jti``; returns their claims."""

    def __init__(self, settings: Settings, *, fetch: Fetch = _fetch_json) -> None:
        assert settings.oidc_issuer is not None
        self.issuer = settings.oidc_issuer
        self._settings, self._fetch = settings, fetch
        self._jwks: JwksCache | None = None
        self._lock = threading.Lock()

    @property
    def jwks(self) -> JwksCache:
        """The key cache, its URL discovered from the issuer on first use when not configured."""
        with self._lock:
            if self._jwks is None:
                self._jwks = JwksCache(
                    self._settings.oidc_jwks_url or self._discover(),
                    lifespan=self._settings.oidc_jwks_cache_seconds,
                    min_refetch=self._settings.oidc_jwks_min_refetch_seconds,
                    fetch=self._fetch,
                )
            return self._jwks

    def _discover(self) -> str:
        document = self._fetch(f"{self.issuer.rstrip('/')}/.well-known/openid-configuration")
        if document.get("issuer") != self.issuer:
            raise ProviderUnavailable(
                f"the discovery document names issuer {document.get('issuer')!r}, "
                f"not {self.issuer!r}"
            )
        jwks_uri = document.get("jwks_uri")
        if not isinstance(jwks_uri, str):
            raise ProviderUnavailable("the discovery document names no jwks_uri")
        return jwks_uri

    def verify(self, token: str, header: dict[str, Any]) -> dict[str, Any]:
        """The claims of ``token`` (whose unverified ``header`` is given); ``TokenRefused``."""
        settings = self._settings
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise TokenRefused("the token names no signing key (kid)")
        key = self.jwks.key(kid)
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key.key,
                algorithms=settings.oidc_algorithms,
                audience=settings.oidc_audience,
                issuer=self.issuer,
                options={"require": list(REQUIRED_CLAIMS)},
            )
        except jwt.ExpiredSignatureError:
            raise TokenRefused("the token has expired") from None
        except jwt.PyJWTError as exc:
            raise TokenRefused(f"the token is not valid: {exc}") from None
        lifetime = claims["exp"] - claims["iat"]
        if lifetime > settings.oidc_max_token_lifetime_seconds:
            raise TokenRefused(
                f"the token lives {lifetime} s, longer than the "
                f"{settings.oidc_max_token_lifetime_seconds} s allowed"
            )
        if not isinstance(claims["jti"], str) or not claims["jti"]:
            raise TokenRefused("the token's jti must be a non-empty string")
        return claims
