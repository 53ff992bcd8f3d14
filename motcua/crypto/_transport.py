"""How a process reaches Temporal: TLS or mutual TLS, and an API key, from the settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from temporalio.service import TLSConfig

from motcua.settings import Settings


class ConnectionSettingsError(ValueError):
    """The Temporal connection settings do not fit together, or name an unreadable file."""


@dataclass(frozen=True)
class TemporalConnection:
    """What ``Client.connect`` needs besides the address, namespace and data converter."""

    tls: TLSConfig | bool
    api_key: str | None = field(default=None, repr=False)


def temporal_connection(settings: Settings) -> TemporalConnection:
    """TLS when asked for, or implied by a CA, a client certificate or an API key (a key sent
    in clear would be a key given away); mutual TLS when a client certificate and key are set."""
    cert, key = settings.temporal_tls_client_cert, settings.temporal_tls_client_key
    if (cert is None) != (key is None):
        raise ConnectionSettingsError(
            "mutual TLS needs both MOTCUA_TEMPORAL_TLS_CLIENT_CERT and "
            "MOTCUA_TEMPORAL_TLS_CLIENT_KEY"
        )
    api_key = settings.temporal_api_key.get_secret_value() if settings.temporal_api_key else None
    wants_tls = (
        settings.temporal_tls
        or api_key is not None
        or cert is not None
        or settings.temporal_tls_server_ca is not None
        or settings.temporal_tls_server_name is not None
    )
    if not wants_tls:
        return TemporalConnection(tls=False)
    tls = TLSConfig(
        server_root_ca_cert=_read(settings.temporal_tls_server_ca, "MOTCUA_TEMPORAL_TLS_SERVER_CA"),
        domain=settings.temporal_tls_server_name,
        client_cert=_read(cert, "MOTCUA_TEMPORAL_TLS_CLIENT_CERT"),
        client_private_key=_read(key, "MOTCUA_TEMPORAL_TLS_CLIENT_KEY"),
    )
    return TemporalConnection(tls=tls, api_key=api_key)


def _read(path: Path | None, setting: str) -> bytes | None:
    if path is None:
        return None
    try:
        return path.read_bytes()
    except OSError as error:
        message = f"{setting}: {path} cannot be read ({error.strerror})"
        raise ConnectionSettingsError(message) from None
