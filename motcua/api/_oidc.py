"""Bearer tokens an identity provider signs (OIDC, RS256/ES256), checked against its JWKS.

The provider (VNeID, a province's IdP, or ``motcua sim idp``) publishes its public keys at a
JWKS URL, named in its discovery document. Keys are cached; a token signed with a key id the
cache does not know makes the cache refetch (the provider rotated its key), at most once per
``oidc_jwks_min_refetch_seconds`` so a flood of made-up key ids cannot turn the API into a
client hammering the provider.
"""

from __future__ import annotations

import base64
import hashlib
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


def pkce_challenge(verifier: str) -> str:
    """The PKCE S256 challenge of a code verifier (RFC 7636 4.2): base64url(SHA-256), unpadded."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


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
    """The provider's signing keys by key id, refetched when stale or when a kid is unknown, at
    most once per ``min_refetch`` seconds, failed attempts included."""

    def __init__(
        self,
        locate: Callable[[], str],
        *,
        lifespan: float,
        min_refetch: float,
        fetch: Fetch = _fetch_json,
    ) -> None:
        self._locate, self._url = locate, ""
        self._lifespan, self._min_refetch, self._fetch = lifespan, min_refetch, fetch
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at: float | None = None
        self._attempted_at: float | None = None
        self._failure: ProviderUnavailable | None = None
        self._lock = threading.Lock()

    def key(self, kid: str) -> jwt.PyJWK:
        """The public key ``kid``; ``TokenRefused`` when the provider does not publish it,
        ``ProviderUnavailable`` when it cannot be asked and no key is known."""
        with self._lock:
            now = time.monotonic()
            stale = self._fetched_at is None or now - self._fetched_at >= self._lifespan
            may_refetch = (
                self._attempted_at is None or now - self._attempted_at >= self._min_refetch
            )
            if (stale or kid not in self._keys) and may_refetch:
                self._refresh(now)
            if kid in self._keys:
                # Even when the last refresh failed: an outage of the provider does not sign
                # everyone out while the keys it last published still hold.
                return self._keys[kid]
            if self._failure is not None:
                raise self._failure
            raise TokenRefused(f"the identity provider publishes no key {kid!r}")

    def _refresh(self, now: float) -> None:
        self._attempted_at = now
        try:
            self._url = self._url or self._locate()  # discovered once, by the first attempt
            keys = jwt.PyJWKSet.from_dict(self._fetch(self._url)).keys
        except ProviderUnavailable as exc:
            self._failure = exc
            return
        except jwt.PyJWKSetError as exc:
            self._failure = ProviderUnavailable(f"the JWKS at {self._url} has no usable key: {exc}")
            return
        self._keys = {key.key_id: key for key in keys if key.key_id}
        self._fetched_at, self._failure = now, None


class IdentityProvider:
    """Verifies the configured provider's tokens: signature, issuer, audience, expiry, a lifetime
    cap and a ``jti``; returns their claims."""

    def __init__(self, settings: Settings, *, fetch: Fetch = _fetch_json) -> None:
        assert settings.oidc_issuer is not None
        self.issuer = settings.oidc_issuer
        self._settings, self._fetch = settings, fetch
        self.jwks = JwksCache(
            lambda: settings.oidc_jwks_url or self._discover(),
            lifespan=settings.oidc_jwks_cache_seconds,
            min_refetch=settings.oidc_jwks_min_refetch_seconds,
            fetch=fetch,
        )

    def _discover(self) -> str:
        """The JWKS URL the issuer's discovery document names."""
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


_shared: dict[str, IdentityProvider] = {}
_shared_lock = threading.Lock()


def identity_provider(settings: Settings) -> IdentityProvider | None:
    """The process's verifier for the provider ``settings`` name (None when they name none):
    one per configuration, so every app and server in the process shares one key cache."""
    if settings.oidc_issuer is None:
        return None
    configuration = settings.model_dump_json(include=_PROVIDER_SETTINGS)
    with _shared_lock:
        if configuration not in _shared:
            _shared[configuration] = IdentityProvider(settings)
        return _shared[configuration]


_PROVIDER_SETTINGS = {name for name in Settings.model_fields if name.startswith("oidc_")}
