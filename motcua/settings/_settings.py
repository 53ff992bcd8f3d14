"""The one settings object of a motcua process, read from ``MOTCUA_*`` environment variables:
its fields come by topic from the ``_*_fields`` modules; the checks that span topics and the
keys' fallbacks are here."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import ValidationInfo, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from motcua.settings._access_fields import AccessFields
from motcua.settings._link_fields import LinkFields
from motcua.settings._runtime_fields import RuntimeFields
from motcua.settings._secrets import (
    DEV_CALLBACK_KEY,
    DEV_EVIDENCE_PEPPER,
    DEV_TOKEN_KEY,
    LOOPBACK_HOSTS,
    PROCESS_SESSION_KEY,
    MissingSecret,
    secret_or_dev,
)


# The bases are listed last topic first: pydantic orders the fields from the deepest base, and
# the order matters (a validator reads ``environment`` from the fields validated before it).
class Settings(LinkFields, AccessFields, RuntimeFields, BaseSettings):
    """Engine settings; fails fast on a bad or unsafe value."""

    model_config = SettingsConfigDict(env_prefix="MOTCUA_", extra="ignore", frozen=True)

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
        return secret_or_dev(self.dev_mode, self.jwt_secret, "MOTCUA_JWT_SECRET", DEV_TOKEN_KEY)

    def callback_key(self) -> str:
        """The payment platform's callback HMAC key; the public development key in dev mode."""
        return secret_or_dev(
            self.dev_mode,
            self.payment_callback_secret,
            "MOTCUA_PAYMENT_CALLBACK_SECRET",
            DEV_CALLBACK_KEY,
        )

    def evidence_key(self) -> str:
        """The evidence hashes' HMAC pepper; the public development pepper only in dev mode."""
        return secret_or_dev(
            self.dev_mode, self.evidence_pepper, "MOTCUA_EVIDENCE_PEPPER", DEV_EVIDENCE_PEPPER
        )

    def console_session_key(self) -> str:
        """The console session cookie's signing key. Production must set one; elsewhere a key
        made for this process will do (sessions then end when it restarts)."""
        if self.console_session_secret is not None:
            return self.console_session_secret.get_secret_value()
        if self.environment == "production":
            raise MissingSecret("MOTCUA_CONSOLE_SESSION_SECRET is not set")
        return PROCESS_SESSION_KEY


@lru_cache
def get_settings() -> Settings:
    return Settings()
