"""The keyring and data converter a process's settings name, and the development key file."""

from __future__ import annotations

import contextlib
from pathlib import Path

from temporalio.converter import DataConverter

from motcua.crypto._converter import data_converter
from motcua.crypto._keyfile import KeyFile
from motcua.crypto._keyring import Keyring, KeyringError, KeySource, KeyText
from motcua.crypto._transport import ConnectionSettingsError
from motcua.settings import MissingSecret, Settings

DEV_KEY_FILE = "encryption.keys"


class MissingEncryptionKey(MissingSecret):
    """Production without a payload key: every payload would reach Temporal in clear."""


# What connecting to Temporal raises when the settings are wrong: a command prints the message.
CONNECTION_ERRORS: tuple[type[Exception], ...] = (
    MissingEncryptionKey,
    KeyringError,
    ConnectionSettingsError,
)


def development_key_file(settings: Settings) -> Path:
    """Where ``motcua up`` keeps the development key: ``var_dir/encryption.keys``."""
    return settings.var_dir / DEV_KEY_FILE


def key_source(settings: Settings) -> KeySource | None:
    """The configured source of payload keys: ``MOTCUA_ENCRYPTION_KEYS``, else
    ``MOTCUA_ENCRYPTION_KEY_FILE``, else (outside production) the development key file when
    ``motcua up`` has made one; ``None`` when there is none."""
    if settings.encryption_keys is not None and settings.encryption_key_file is not None:
        raise KeyringError(
            "set MOTCUA_ENCRYPTION_KEYS or MOTCUA_ENCRYPTION_KEY_FILE, not both: "
            "which one encrypts would be a guess"
        )
    if settings.encryption_keys is not None:
        return KeyText(settings.encryption_keys.get_secret_value(), "MOTCUA_ENCRYPTION_KEYS")
    if settings.encryption_key_file is not None:
        return KeyFile(settings.encryption_key_file)
    development = development_key_file(settings)
    if settings.environment != "production" and development.exists():
        return KeyFile(development)
    return None


def load_keyring(settings: Settings) -> Keyring | None:
    """The process's keyring; ``None`` (payloads in clear) only outside production.

    Raises:
        MissingEncryptionKey: in production, when no key is configured.
        KeyringError: when the configured keys cannot be read or parsed.
    """
    source = key_source(settings)
    if source is not None:
        return source.load()
    if settings.environment == "production":
        raise MissingEncryptionKey(
            "MOTCUA_ENVIRONMENT is production and no payload encryption key is configured: "
            "set MOTCUA_ENCRYPTION_KEY_FILE (a file made by `motcua keys rotate`) or "
            "MOTCUA_ENCRYPTION_KEYS, or personal data would reach Temporal in clear"
        )
    return None


def converter_for(settings: Settings) -> DataConverter:
    """The data converter of every client and worker of this process (see ``load_keyring``)."""
    return data_converter(load_keyring(settings))


def with_development_key(settings: Settings) -> Settings:
    """Settings that encrypt: unchanged when keys are configured; otherwise (never in
    production) the development key file under ``var_dir``, created with mode 0600 when
    missing, so ``make run`` encrypts like production does."""
    if settings.encryption_keys is not None or settings.encryption_key_file is not None:
        return settings
    if settings.environment == "production":
        load_keyring(settings)  # raises MissingEncryptionKey
    path = development_key_file(settings)
    if not path.exists():
        # KeyringError: another process made it a moment ago; use theirs.
        with contextlib.suppress(KeyringError):
            KeyFile(path).create()
    return settings.model_copy(update={"encryption_key_file": path})
