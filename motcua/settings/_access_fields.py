"""Who may call: sign-in (OIDC) and access to the operator pages, and the hardening of the
public endpoints (webhook targets, request size, rate limits)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field
from pydantic_settings import NoDecode


class AccessFields(BaseModel):
    """The sign-in and hardening settings (part of :class:`motcua.settings.Settings`)."""

    # Sign-in (OIDC) and access: docs/security/sign-in.md
    oidc_issuer: str | None = Field(
        default=None,
        description="The identity provider's issuer URL (VNeID, a province's IdP); bearer "
        "tokens it signs (RS256/ES256) are accepted. Required in production.",
    )
    oidc_jwks_url: str | None = Field(
        default=None, description="Its JWKS URL; discovered from the issuer when unset"
    )
    oidc_audience: str = Field(default="motcua-api", description="The tokens' required aud")
    oidc_algorithms: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["RS256", "ES256"], description="Accepted signature algorithms"
    )
    oidc_max_token_lifetime_seconds: int = Field(
        default=12 * 3600, gt=0, description="A token whose exp - iat exceeds this is refused"
    )
    oidc_jwks_cache_seconds: int = Field(
        default=300, gt=0, description="How long the fetched JWKS is trusted before refetching"
    )
    oidc_jwks_min_refetch_seconds: float = Field(
        default=30, ge=0, description="An unknown kid refetches the JWKS at most this often"
    )
    oidc_kind_claim: str = Field(default="kind", description="citizen / officer / service")
    oidc_personal_id_claim: str = Field(
        default="personal_id", description="A citizen's 12-digit personal ID (not sub)"
    )
    oidc_roles_claim: str = "roles"
    oidc_agencies_claim: str = "agencies"
    oidc_scope_claim: str = Field(default="scope", description="Space-separated or a list")
    operator_role: str = Field(
        default="operator", description="The officer role that may read /metrics, /docs when so set"
    )
    api_docs_access: Literal["public", "operator", "off"] = "public"
    api_metrics_access: Literal["public", "operator", "off"] = "operator"
    population_service_id: str | None = Field(
        default=None,
        description="The one service id (sub) of the National Population Database system; only "
        "it may post population changes",
    )

    # Hardening (issue 11, section 4): webhook targets, request size and rate limits
    webhook_allow_loopback: bool = Field(
        default=False,
        description="Tests and development only: deliver webhooks to loopback addresses "
        "(127.0.0.0/8, ::1); private, link-local and other internal ones stay refused. "
        "Refused in production.",
    )
    max_body_bytes: int = Field(
        default=256 * 1024, gt=0, description="Larger request bodies (but uploads) get 413"
    )
    rate_limit_per_minute: float = Field(
        default=120,
        ge=0,
        description="Requests a minute to the public and citizen endpoints per client IP, or "
        "per bearer token when one is sent; 0 turns the limit off",
    )
    rate_limit_burst: int = Field(
        default=40, ge=1, description="Requests allowed at once before the per-minute rate"
    )
