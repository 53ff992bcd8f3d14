"""The one settings object of a motcua process, read from ``MOTCUA_*`` environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    """Engine settings; fails fast on a bad or unsafe value."""

    model_config = SettingsConfigDict(env_prefix="MOTCUA_", extra="ignore", frozen=True)

    environment: Literal["development", "test", "production"] = "development"
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

    @field_validator("separate_agencies", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str) and not value.lstrip().startswith("["):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @model_validator(mode="after")
    def _safe_for_production(self) -> Settings:
        if self.environment == "production" and self.time_scale != 1.0:
            raise ValueError("MOTCUA_TIME_SCALE must be 1 in production: deadlines would be wrong")
        if self.environment == "production" and self.dev_mode:
            raise ValueError("MOTCUA_DEV_MODE is refused in production: its keys are public")
        for name in ("jwt_secret", "payment_callback_secret"):
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


DEV_TOKEN_KEY = "motcua-development-token-key-not-a-secret"
DEV_CALLBACK_KEY = "motcua-development-callback-key-not-a-secret"


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
