"""The development keys, and the rule that only dev mode may fall back on them."""

from __future__ import annotations

import secrets

from pydantic import SecretStr

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})
DEV_TOKEN_KEY = "motcua-development-token-key-not-a-secret"
DEV_CALLBACK_KEY = "motcua-development-callback-key-not-a-secret"
DEV_EVIDENCE_PEPPER = "motcua-development-evidence-pepper-not-a-secret"
PROCESS_SESSION_KEY = secrets.token_urlsafe(32)


class MissingSecret(RuntimeError):
    """A key the API needs is not configured and dev mode is off."""


def secret_or_dev(dev_mode: bool, secret: SecretStr | None, env: str, dev_key: str) -> str:
    """The secret's value; ``dev_key`` in dev mode when unset; else ``MissingSecret``."""
    if secret is not None:
        return secret.get_secret_value()
    if dev_mode:
        return dev_key
    raise MissingSecret(f"{env} is not set (or set MOTCUA_DEV_MODE=true for development)")
