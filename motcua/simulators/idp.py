"""A simulated identity provider (VNeID, a province's IdP) for development and tests.

It speaks the part of OpenID Connect the API relies on: a discovery document at
``/.well-known/openid-configuration``, its public keys at ``/jwks``, and signed access tokens.
It is a simulator: ``POST /token`` signs whatever claims it is given, with no password — never
run it where the API trusts it in production.

- ``POST /token`` ``{"kind": "citizen", "personal_id": "001203004512"}`` → a signed token;
  officers give ``sub``, ``roles``, ``agencies``; services ``sub``, ``scope``, ``agencies``;
  ``ttl_seconds``, ``audience`` and any ``extra`` claims may be given too.
- the authorization-code flow with PKCE (``/authorize``, then ``/token`` with a form), as the
  console's sign-in uses it: see :mod:`._idp_code`.
- ``GET /_sim/stats`` counts JWKS requests, to see a relying party's caching.
- ``POST /_sim/rotate`` makes a new signing key; the old one stays in the JWKS (tokens it signed
  still verify) unless ``{"retire": true}`` drops it.

The issuer is the URL it is reached at, unless the ``issuer`` option names another.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from motcua.simulators._app import Knobs, simulator_app
from motcua.simulators._idp_code import add_code_flow

_FORM = "application/x-www-form-urlencoded"

Algorithm = Literal["RS256", "ES256"]


@dataclass(frozen=True)
class SigningKey:
    kid: str
    algorithm: Algorithm
    private: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey

    @classmethod
    def generate(cls, algorithm: Algorithm) -> SigningKey:
        private: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey = (
            rsa.generate_private_key(public_exponent=65537, key_size=2048)
            if algorithm == "RS256"
            else ec.generate_private_key(ec.SECP256R1())
        )
        return cls(kid=uuid.uuid4().hex[:16], algorithm=algorithm, private=private)

    def public_jwk(self) -> dict[str, Any]:
        algorithm = jwt.get_algorithm_by_name(self.algorithm)
        jwk: dict[str, Any] = json.loads(algorithm.to_jwk(self.private.public_key()))
        return jwk | {"kid": self.kid, "alg": self.algorithm, "use": "sig"}


class TokenRequest(BaseModel):
    """The claims of the caller to sign in; the simulator asks no password."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["citizen", "officer", "service"]
    sub: str | None = Field(default=None, description="Officer or service id; citizens: opaque")
    personal_id: str | None = None
    roles: list[str] | None = None
    agencies: list[str] | None = None
    scope: str | None = Field(default=None, description="Space-separated, e.g. 'openid portal'")
    audience: str = "motcua-api"
    ttl_seconds: int = Field(default=3600, gt=0)
    extra: dict[str, Any] = Field(default_factory=dict, description="Any other claims")


class TokenAnswer(BaseModel):
    access_token: str
    token_type: Literal["Bearer"] = "Bearer"
    expires_in: int


class Rotation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    retire: bool = Field(default=False, description="Drop the old keys from the JWKS too")


class RotationAnswer(BaseModel):
    kid: str
    published: list[str]


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid")

    algorithm: Algorithm = "RS256"
    issuer: str | None = Field(default=None, description="Default: the URL it is reached at")


def create_app(
    *, knobs: Knobs | None = None, seed: int = 0, token: str | None = None, **options: Any
) -> FastAPI:
    """The identity provider simulator; options: ``algorithm`` (RS256, ES256), ``issuer``."""
    settings = Options.model_validate(options)
    app = simulator_app("idp", knobs=knobs, seed=seed, token=token)
    keys = [SigningKey.generate(settings.algorithm)]  # the last one signs
    app.state.jwks_requests = 0

    def issuer(request: Request) -> str:
        return settings.issuer or str(request.base_url).rstrip("/")

    @app.get("/.well-known/openid-configuration", tags=["oidc"])
    async def discovery(request: Request) -> dict[str, Any]:
        base = issuer(request)
        return {
            "issuer": base,
            "jwks_uri": f"{str(request.base_url).rstrip('/')}/jwks",
            "token_endpoint": f"{str(request.base_url).rstrip('/')}/token",
            "id_token_signing_alg_values_supported": [settings.algorithm],
            "authorization_endpoint": f"{str(request.base_url).rstrip('/')}/authorize",
            "response_types_supported": ["code", "token"],
            "code_challenge_methods_supported": ["S256"],
            "subject_types_supported": ["public", "pairwise"],
        }

    @app.get("/jwks", tags=["oidc"])
    async def jwks() -> dict[str, Any]:
        app.state.jwks_requests += 1
        return {"keys": [key.public_jwk() for key in keys]}

    @app.get("/_sim/stats", tags=["admin"])
    async def stats() -> dict[str, int]:
        """How often relying parties fetched the JWKS (their caching, seen from here)."""
        return {"jwks_requests": app.state.jwks_requests}

    def sign(claims: dict[str, Any], request: Request, audience: str, ttl: int) -> str:
        now = datetime.now(UTC)
        registered = {
            # A citizen's subject is opaque, as a provider's pairwise subject would be.
            "sub": f"citizen-{uuid.uuid4().hex[:12]}",
            "iss": issuer(request),
            "aud": audience,
            "iat": int(now.timestamp()),
            "exp": int((now + timedelta(seconds=ttl)).timestamp()),
            "jti": uuid.uuid4().hex,
        }
        claims = registered | claims  # the caller's claims (a test's odd ones too) win
        signer = keys[-1]
        return jwt.encode(
            claims, signer.private, algorithm=signer.algorithm, headers={"kid": signer.kid}
        )

    exchange = add_code_flow(app, sign)

    @app.post("/token", tags=["oidc"], response_model=None)
    async def issue(request: Request) -> TokenAnswer | Response:
        """A JSON :class:`TokenRequest` signs its claims; a form is the code flow's exchange."""
        if request.headers.get("content-type", "").startswith(_FORM):
            return await exchange(request)
        try:
            body = TokenRequest.model_validate_json(await request.body())
        except ValidationError as invalid:
            raise RequestValidationError(invalid.errors()) from None
        claims = {
            name: value
            for name, value in body.model_dump(
                include={"kind", "sub", "personal_id", "roles", "agencies", "scope"}
            ).items()
            if value is not None
        }
        signed = sign(claims | body.extra, request, body.audience, body.ttl_seconds)
        return TokenAnswer(access_token=signed, expires_in=body.ttl_seconds)

    @app.post("/_sim/rotate", tags=["admin"])
    async def rotate(body: Rotation | None = None) -> RotationAnswer:
        keys.append(SigningKey.generate(settings.algorithm))
        if body is not None and body.retire:
            del keys[:-1]
        return RotationAnswer(kid=keys[-1].kid, published=[key.kid for key in keys])

    return app
