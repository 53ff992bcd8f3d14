"""The one settings object of a motcua process, read from ``MOTCUA_*`` environment variables."""

from motcua.settings._secrets import (
    DEV_CALLBACK_KEY,
    DEV_EVIDENCE_PEPPER,
    DEV_TOKEN_KEY,
    LOOPBACK_HOSTS,
    MissingSecret,
)
from motcua.settings._settings import Settings, get_settings

__all__ = [
    "DEV_CALLBACK_KEY",
    "DEV_EVIDENCE_PEPPER",
    "DEV_TOKEN_KEY",
    "LOOPBACK_HOSTS",
    "MissingSecret",
    "Settings",
    "get_settings",
]
