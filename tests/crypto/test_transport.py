"""The Temporal connection settings: TLS with a private CA, mutual TLS, an API key."""

from __future__ import annotations

from pathlib import Path

import pytest
from temporalio.service import TLSConfig

from motcua.crypto import ConnectionSettingsError, temporal_connection
from motcua.settings import Settings


def _pem(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    path.write_bytes(f"-----BEGIN {name}-----\n".encode())
    return path


def test_loopback_development_connects_in_clear() -> None:
    connection = temporal_connection(Settings())
    assert connection.tls is False and connection.api_key is None


def test_mutual_tls_with_a_private_ca_and_a_server_name(tmp_path: Path) -> None:
    settings = Settings(
        temporal_tls_server_ca=_pem(tmp_path, "ca"),
        temporal_tls_client_cert=_pem(tmp_path, "cert"),
        temporal_tls_client_key=_pem(tmp_path, "key"),
        temporal_tls_server_name="temporal.motcua.internal",
    )
    tls = temporal_connection(settings).tls
    assert isinstance(tls, TLSConfig)
    assert tls.server_root_ca_cert == b"-----BEGIN ca-----\n"
    assert tls.client_cert == b"-----BEGIN cert-----\n"
    assert tls.client_private_key == b"-----BEGIN key-----\n"
    assert tls.domain == "temporal.motcua.internal"


def test_an_api_key_is_only_ever_sent_over_tls() -> None:
    connection = temporal_connection(Settings(temporal_api_key="tc-key-of-the-agency"))
    assert connection.api_key == "tc-key-of-the-agency"
    assert isinstance(connection.tls, TLSConfig)  # the system's CAs
    assert "tc-key-of-the-agency" not in repr(connection)


def test_half_a_client_certificate_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConnectionSettingsError, match="MOTCUA_TEMPORAL_TLS_CLIENT_KEY"):
        temporal_connection(Settings(temporal_tls_client_cert=_pem(tmp_path, "cert")))


def test_an_unreadable_file_names_its_setting(tmp_path: Path) -> None:
    settings = Settings(temporal_tls_server_ca=tmp_path / "missing-ca.pem")
    with pytest.raises(ConnectionSettingsError, match=r"MOTCUA_TEMPORAL_TLS_SERVER_CA.*missing"):
        temporal_connection(settings)
