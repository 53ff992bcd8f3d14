"""The one settings object of a motcua process, read from ``MOTCUA_*`` environment variables."""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, ValidationInfo, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    """Engine settings; fails fast on a bad or unsafe value."""

    model_config = SettingsConfigDict(env_prefix="MOTCUA_", extra="ignore", frozen=True)

    # No default: a process that does not say where it runs must not assume development (fail
    # closed). `make run` and the tests set it; `motcua up` is development by nature.
    environment: Literal["development", "test", "production"] | None = Field(
        default=None, description="development, test or production; required"
    )
    temporal_address: str = "127.0.0.1:7233"
    temporal_namespace: str = "default"
    task_queue: str = "motcua"
    database_url: str = "sqlite:///var/motcua.db"
    procedures_dir: Path = Path("procedure_defs")
    calendar_file: Path | None = Field(
        default=None, description="Announced Tết schedules and make-up days; packaged file if unset"
    )
    metrics_port: int = Field(default=9464, ge=0, le=65535)
    metrics_host: str = "127.0.0.1"
    log_format: Literal["auto", "console", "json"] = "auto"
    log_level: str = "INFO"
    time_scale: float = Field(
        default=1.0,
        ge=1.0,
        description="Demo clock: calendar time runs this many times faster; 1 in production",
    )
    extension_working_days: float = Field(default=2, gt=0, description="Art. 19.6 single extension")
    rating_window_days: float = Field(default=30, ge=0)
    var_dir: Path = Path("var")
    adapters_file: Path = Field(
        default=Path("adapters.yaml"), description="Which adapter each agency's worker runs"
    )
    agency_queue_prefix: str = Field(
        default="agency.", description="Agency X's adapter calls go to task queue prefix + X"
    )
    separate_agencies: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Agencies running their own worker (motcua worker --agency X): the engine "
        "worker leaves their task queues alone. Comma-separated in the environment.",
    )
    api_host: str = "127.0.0.1"
    api_port: int = Field(default=8000, ge=0, le=65535, description="motcua up serves the API here")
    simulators: bool = Field(
        default=True,
        description="motcua up serves the agency-system simulators and runs its adapters "
        "against them instead of adapters_file",
    )
    simulator_base_port: int = Field(
        default=8101, ge=0, le=65529, description="The simulators' ports from here on; 0: free"
    )

    dev_mode: bool = Field(
        default=False,
        description="Development only: the API signs and accepts tokens with a well-known key "
        "and payment callbacks with a well-known secret. Refused in production.",
    )
    jwt_secret: SecretStr | None = Field(
        default=None, description="HS256 key of the API's bearer tokens (32 bytes or more)"
    )
    jwt_issuer: str = "motcua"
    jwt_audience: str = "motcua-api"
    payment_callback_secret: SecretStr | None = Field(
        default=None, description="HMAC key the payment platform signs its callbacks with"
    )
    callback_tolerance_seconds: int = Field(
        default=300, gt=0, description="A signed callback older or newer than this is refused"
    )
    upload_max_bytes: int = Field(default=10 * 1024 * 1024, gt=0)
    submit_wait_seconds: float = Field(
        default=10, ge=0, description="How long a submission waits for its dossier code"
    )
    outbox_poll_seconds: float = Field(default=0.5, gt=0)
    outbox_max_attempts: int = Field(
        default=12, ge=1, description="Webhook delivery attempts before the line is parked"
    )
    # Data minimisation (issue 11): the pepper of evidence and result hashes (HMAC-SHA256), held
    # by workers only (activities hash; workflows never see it). See docs/security/.
    evidence_pepper: SecretStr | None = Field(
        default=None,
        description="HMAC key of the query, response and document hashes kept as evidence "
        "(32 characters or more); the public development pepper only in dev mode",
    )

    # Audit trail: hash chains and daily anchors (docs/security/audit.md)
    audit_tsa_url: str | None = Field(
        default=None,
        description="The timestamping authority that signs each day's anchor (its /v1/stamps "
        "and /v1/key); unset: anchors are kept unstamped",
    )
    audit_tsa_token_env: str | None = Field(
        default=None, description="Environment variable holding the authority's bearer token"
    )
    audit_query_timeout_seconds: float = Field(
        default=10, gt=0, description="How long `audit verify` waits for a workflow's answer"
    )

    # Analysis periods (issue 15): calendar days are the agency's, not UTC's.
    agency_timezone: str = Field(
        default="Asia/Ho_Chi_Minh",
        description="IANA zone whose calendar days bound KPI, bottleneck and export periods",
    )

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

    # Payload encryption, codec server and the Temporal connection (docs/security/encryption.md)
    encryption_keys: SecretStr | None = Field(
        default=None,
        description="Payload keys 'id:base64', comma-separated, oldest first (the last encrypts)",
    )
    encryption_key_file: Path | None = Field(
        default=None,
        description="A key file of 'id:base64' lines (`motcua keys rotate`); outside production "
        "var_dir/encryption.keys is used when it exists. Required in production, or the keys.",
    )
    codec_host: str = "127.0.0.1"
    codec_port: int = Field(default=8089, ge=0, le=65535, description="motcua codec-server")
    codec_cors_origin: str | None = Field(
        default=None,
        description="The Temporal UI's origin (e.g. https://temporal.example.gov.vn), the only "
        "one whose browser may call the codec server; none if unset",
    )
    temporal_tls: bool = Field(default=False, description="TLS to Temporal with the system CAs")
    temporal_tls_server_ca: Path | None = Field(default=None, description="PEM CA of the server")
    temporal_tls_server_name: str | None = Field(
        default=None, description="The name the server's certificate is checked against"
    )
    temporal_tls_client_cert: Path | None = Field(default=None, description="mTLS: PEM cert")
    temporal_tls_client_key: Path | None = Field(default=None, description="mTLS: PEM key")
    temporal_api_key: SecretStr | None = Field(
        default=None, description="Bearer API key for Temporal (e.g. Temporal Cloud); implies TLS"
    )

    # Web console (issue 13): docs/console.md
    console_session_secret: SecretStr | None = Field(
        default=None, description="Signs the console's session cookie (32+ characters)"
    )
    console_public_url: str | None = Field(
        default=None,
        description="The console's public base URL, printed in QR codes and tracking links "
        "(default: the API's own address)",
    )

    # Operations links (issue 13, the console's /ops page): docs/operations.md
    temporal_ui_url: str | None = Field(
        default=None,
        description="The Temporal UI's base URL, for links to dossiers' workflows (default: the "
        "dev server's UI, MOTCUA_TEMPORAL_ADDRESS with its port + 1000)",
    )
    grafana_url: str | None = Field(
        default=None, description="Grafana's base URL (infra/grafana); no link when unset"
    )

    @field_validator("agency_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"MOTCUA_AGENCY_TIMEZONE: unknown IANA time zone {value!r}") from None
        return value

    @field_validator("webhook_allow_loopback")
    @classmethod
    def _no_loopback_webhooks_in_production(cls, value: bool, info: ValidationInfo) -> bool:
        if value and info.data.get("environment") == "production":
            raise ValueError("MOTCUA_WEBHOOK_ALLOW_LOOPBACK is refused in production")
        return value

    @field_validator("separate_agencies", "oidc_algorithms", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str) and not value.lstrip().startswith("["):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @model_validator(mode="after")
    def _safe_for_production(self) -> Settings:
        if self.environment is None:
            raise ValueError(
                "MOTCUA_ENVIRONMENT must be set: development, test or production "
                "(`make run` and the tests set it)"
            )
        if self.dev_mode and self.api_host not in LOOPBACK_HOSTS:
            raise ValueError(
                f"MOTCUA_DEV_MODE needs the API on loopback, not {self.api_host}: "
                "its keys are public"
            )
        unsupported = set(self.oidc_algorithms) - {"RS256", "ES256"}
        if unsupported:
            raise ValueError(f"MOTCUA_OIDC_ALGORITHMS: only RS256 and ES256, not {unsupported}")
        if self.environment == "production" and self.time_scale != 1.0:
            raise ValueError("MOTCUA_TIME_SCALE must be 1 in production: deadlines would be wrong")
        if self.environment == "production" and self.dev_mode:
            raise ValueError("MOTCUA_DEV_MODE is refused in production: its keys are public")
        for name in (
            "jwt_secret",
            "payment_callback_secret",
            "evidence_pepper",
            "console_session_secret",
        ):
            secret = getattr(self, name)
            if secret is not None and len(secret.get_secret_value()) < 32:
                raise ValueError(f"MOTCUA_{name.upper()} must be at least 32 characters")
        return self

    @property
    def files_dir(self) -> Path:
        """Where uploaded documents are stored, content-addressed by SHA-256."""
        return self.var_dir / "files"

    def token_key(self) -> str:
        """The bearer tokens' HS256 key; the public development key only in dev mode."""
        return _secret_or_dev(self, self.jwt_secret, "MOTCUA_JWT_SECRET", DEV_TOKEN_KEY)

    def callback_key(self) -> str:
        """The payment platform's callback HMAC key; the public development key in dev mode."""
        return _secret_or_dev(
            self, self.payment_callback_secret, "MOTCUA_PAYMENT_CALLBACK_SECRET", DEV_CALLBACK_KEY
        )

    def evidence_key(self) -> str:
        """The evidence hashes' HMAC pepper; the public development pepper only in dev mode."""
        return _secret_or_dev(
            self, self.evidence_pepper, "MOTCUA_EVIDENCE_PEPPER", DEV_EVIDENCE_PEPPER
        )

    def console_session_key(self) -> str:
        """The console session cookie's signing key. Production must set one; elsewhere a key
        made for this process will do (sessions then end when it restarts)."""
        if self.console_session_secret is not None:
            return self.console_session_secret.get_secret_value()
        if self.environment == "production":
            raise MissingSecret("MOTCUA_CONSOLE_SESSION_SECRET is not set")
        return _PROCESS_SESSION_KEY


LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})
DEV_TOKEN_KEY = "motcua-development-token-key-not-a-secret"
DEV_CALLBACK_KEY = "motcua-development-callback-key-not-a-secret"
DEV_EVIDENCE_PEPPER = "motcua-development-evidence-pepper-not-a-secret"
_PROCESS_SESSION_KEY = secrets.token_urlsafe(32)


class MissingSecret(RuntimeError):
    """A key the API needs is not configured and dev mode is off."""


def _secret_or_dev(settings: Settings, secret: SecretStr | None, env: str, dev_key: str) -> str:
    if secret is not None:
        return secret.get_secret_value()
    if settings.dev_mode:
        return dev_key
    raise MissingSecret(f"{env} is not set (or set MOTCUA_DEV_MODE=true for development)")


@lru_cache
def get_settings() -> Settings:
    return Settings()
