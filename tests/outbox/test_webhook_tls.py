"""A pinned https delivery keeps the URL's name for TLS: the certificate is verified against the
name (sent as SNI), not against the IP address the sender checked and connected to."""

from __future__ import annotations

import ipaddress
import ssl
import subprocess
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from motcua.outbox import Claim, IPAddress, WebhookSender
from tests.store.factories import Dossier

NAME = "portal.invalid"  # never resolves (RFC 6761): only the pinned address reaches it


@pytest.fixture
def certificate(tmp_path: Path) -> Path:
    """A self-signed certificate (and its key, beside it) for ``NAME`` only."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-keyout", str(key), "-out", str(cert), "-subj", f"/CN={NAME}",
         "-addext", f"subjectAltName=DNS:{NAME}"],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return cert


@pytest.fixture
def https_receiver(certificate: Path) -> Iterator[tuple[int, list[str]]]:
    hosts: list[str] = []

    async def hook(request: Request) -> Response:
        hosts.append(request.headers["host"])
        return Response(status_code=204)

    app = Starlette(routes=[Route("/hooks/a", hook, methods=["POST"])])
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=0,
        log_level="warning",
        lifespan="off",
        ssl_certfile=str(certificate),
        ssl_keyfile=str(certificate.with_name("key.pem")),
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        assert thread.is_alive(), "the https receiver did not start"
        thread.join(timeout=0.01)
    try:
        yield server.servers[0].sockets[0].getsockname()[1], hosts
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def _claim(url: str) -> Claim:
    now = datetime.now(UTC)
    event = Dossier("000.00.01.H29-260115-0001").submitted()
    return Claim(1, "wh_tls", "webhook", url, "whsec_test", event.dossier_code, 0, now, now, event)


async def _send(url: str, certificate: Path) -> tuple[bool, str | None]:
    async def resolver(host: str, _: int) -> list[IPAddress]:
        return [ipaddress.ip_address("127.0.0.1")]

    trust = ssl.create_default_context(cafile=str(certificate))
    client = httpx.AsyncClient(verify=trust, follow_redirects=False, timeout=10)
    sender = WebhookSender(client, allow_loopback=True, resolver=resolver)
    try:
        outcome = await sender.send(_claim(url))
    finally:
        await sender.aclose()
    return outcome.ok, outcome.error


async def test_the_certificate_is_verified_against_the_url_s_name(
    https_receiver: tuple[int, list[str]], certificate: Path
) -> None:
    port, hosts = https_receiver

    ok, error = await _send(f"https://{NAME}:{port}/hooks/a", certificate)

    assert ok, error
    assert hosts == [f"{NAME}:{port}"]


async def test_a_certificate_for_another_name_is_refused(
    https_receiver: tuple[int, list[str]], certificate: Path
) -> None:
    port, hosts = https_receiver

    ok, error = await _send(f"https://elsewhere.invalid:{port}/hooks/a", certificate)

    assert not ok and error is not None and "CERTIFICATE_VERIFY_FAILED" in error
    assert hosts == []
