"""The TLS settings against a real TLS endpoint: a mutual-TLS terminator (certificates from a CA
made for the test) in front of the dev server, as a load balancer would stand before a cluster.
`connect` gets through with the CA, client certificate and server name, and not without them."""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from temporalio.testing import WorkflowEnvironment

from motcua.engine import connect
from motcua.settings import Settings

SERVER_NAME = "temporal.motcua.test"


@dataclass
class Pki:
    ca: Path
    server_cert: Path
    server_key: Path
    client_cert: Path
    client_key: Path


def _issue(
    tmp_path: Path, name: str, issuer: tuple[x509.Certificate, ec.EllipticCurvePrivateKey] | None
) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer[0].subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(hours=1))
        .add_extension(x509.BasicConstraints(ca=issuer is None, path_length=None), critical=True)
    )
    if issuer is None:
        builder = builder.add_extension(
            x509.KeyUsage(
                digital_signature=True, key_cert_sign=True, crl_sign=True,
                content_commitment=False, key_encipherment=False, data_encipherment=False,
                key_agreement=False, encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )  # fmt: skip
    else:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False
        )
    cert = builder.sign(issuer[1] if issuer else key, hashes.SHA256())
    (tmp_path / f"{name}.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp_path / f"{name}.key").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert, key


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    tmp_path = tmp_path_factory.mktemp("pki")
    ca = _issue(tmp_path, "motcua-test-ca", None)
    _issue(tmp_path, SERVER_NAME, ca)
    _issue(tmp_path, "worker.agency-police", ca)
    return Pki(
        ca=tmp_path / "motcua-test-ca.pem",
        server_cert=tmp_path / f"{SERVER_NAME}.pem",
        server_key=tmp_path / f"{SERVER_NAME}.key",
        client_cert=tmp_path / "worker.agency-police.pem",
        client_key=tmp_path / "worker.agency-police.key",
    )


@pytest.fixture
async def tls_endpoint(pki: Pki, dev_env: WorkflowEnvironment) -> AsyncIterator[str]:
    """Mutual TLS on a loopback port, forwarding the decrypted HTTP/2 to the dev server."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH, cafile=str(pki.ca))
    context.load_cert_chain(pki.server_cert, pki.server_key)
    context.verify_mode = ssl.CERT_REQUIRED  # no client certificate, no connection
    context.set_alpn_protocols(["h2"])  # gRPC
    host, _, port = dev_env.client.service_client.config.target_host.rpartition(":")
    pipes: set[asyncio.Task[None]] = set()

    async def forward(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while chunk := await reader.read(65536):
                writer.write(chunk)
                await writer.drain()
        except (ConnectionError, ssl.SSLError):
            pass
        finally:
            writer.close()

    async def serve(client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        server_r, server_w = await asyncio.open_connection(host, int(port))
        for pipe in (forward(client_r, server_w), forward(server_r, client_w)):
            task = asyncio.create_task(pipe)
            pipes.add(task)
            task.add_done_callback(pipes.discard)

    server = await asyncio.start_server(serve, "127.0.0.1", 0, ssl=context)
    try:
        yield f"127.0.0.1:{server.sockets[0].getsockname()[1]}"
    finally:
        server.close()
        for task in list(pipes):
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.gather(*pipes, return_exceptions=True)
        await server.wait_closed()


async def test_mutual_tls_with_the_agencys_certificate_gets_through(
    tls_endpoint: str, pki: Pki
) -> None:
    settings = Settings(
        temporal_address=tls_endpoint,
        temporal_tls_server_ca=pki.ca,
        temporal_tls_server_name=SERVER_NAME,
        temporal_tls_client_cert=pki.client_cert,
        temporal_tls_client_key=pki.client_key,
    )
    client = await connect(settings)
    counted = await client.count_workflows("WorkflowId = 'no-such-dossier'")
    assert counted.count == 0  # the dev server answered, through the TLS terminator


@pytest.mark.parametrize("missing", ["client certificate", "server CA", "server name"])
async def test_without_each_part_the_connection_is_refused(
    tls_endpoint: str, pki: Pki, missing: str
) -> None:
    parts = {
        "temporal_tls_server_ca": pki.ca,
        "temporal_tls_server_name": SERVER_NAME,
        "temporal_tls_client_cert": pki.client_cert,
        "temporal_tls_client_key": pki.client_key,
    }
    if missing == "client certificate":
        del parts["temporal_tls_client_cert"], parts["temporal_tls_client_key"]
    elif missing == "server CA":
        del parts["temporal_tls_server_ca"]  # the system's CAs do not know the test CA
    else:
        del parts["temporal_tls_server_name"]  # 127.0.0.1 is not the certificate's name
    with pytest.raises(RuntimeError):
        await connect(Settings(temporal_address=tls_endpoint, **parts))
