"""What a process connects to and links to: payload encryption and the codec server, the
Temporal connection's TLS, the console's public address and the operations links."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field, SecretStr


class LinkFields(BaseModel):
    """The connection and link settings (part of :class:`motcua.settings.Settings`)."""

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
