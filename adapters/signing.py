"""HMAC signatures for events between systems (payment callbacks, consultation replies, webhooks).

The signature is HMAC-SHA256, with the shared secret, of a canonical request of six lines::

    motcua-v2
    {timestamp}          Unix seconds, digits only
    {nonce}              16-64 characters of A-Z a-z 0-9 _ -
    {method}             upper case, e.g. POST
    {path}               the request path without the query string, e.g. /v1/callbacks/payment
    {sha256 of the body} lower-case hex

No field can contain a newline, so no two requests share a canonical form: bytes cannot be
moved from the body into the nonce, and a signature made for one endpoint is worthless on
another. The receiver rejects an old timestamp and a nonce it has seen before (replay), and
headers that are not in the expected form (a non-ASCII signature, say) as unsigned.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from collections.abc import Mapping

TIMESTAMP_HEADER = "X-Motcua-Timestamp"
NONCE_HEADER = "X-Motcua-Nonce"
SIGNATURE_HEADER = "X-Motcua-Signature"
SCHEME = "motcua-v2"

_TIMESTAMP = re.compile(r"[0-9]{1,12}", re.ASCII)
_NONCE = re.compile(r"[A-Za-z0-9_-]{16,64}", re.ASCII)
_SIGNATURE = re.compile(r"[0-9a-f]{64}", re.ASCII)
_METHOD = re.compile(r"[A-Z]{1,16}", re.ASCII)


class BadSignature(Exception):
    """The event is unsigned, tampered with, or too old."""


def canonical_request(*, timestamp: int, nonce: str, method: str, path: str, body: bytes) -> bytes:
    """The exact bytes that are signed (see the module docstring).

    Raises:
        ValueError: a field is not in its form (a newline in the path, a short nonce, …).
    """
    if not _NONCE.fullmatch(nonce):
        raise ValueError("the nonce must be 16-64 characters of A-Z a-z 0-9 _ -")
    if not _METHOD.fullmatch(method):
        raise ValueError("the method must be an upper-case HTTP method")
    if not path.startswith("/") or "\n" in path or "\r" in path:
        raise ValueError("the path must start with / and hold no line break")
    digest = hashlib.sha256(body).hexdigest()
    return f"{SCHEME}\n{timestamp}\n{nonce}\n{method}\n{path}\n{digest}".encode()


def signature(
    secret: str, *, timestamp: int, nonce: str, method: str, path: str, body: bytes
) -> str:
    """The hex HMAC-SHA256 of :func:`canonical_request` with ``secret``."""
    message = canonical_request(
        timestamp=timestamp, nonce=nonce, method=method, path=path, body=body
    )
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signed_headers(
    secret: str, body: bytes, *, path: str, method: str = "POST", now: float | None = None
) -> dict[str, str]:
    """Headers to send with ``body`` in a ``method`` request to ``path``."""
    timestamp = int(time.time() if now is None else now)
    nonce = secrets.token_hex(16)
    return {
        TIMESTAMP_HEADER: str(timestamp),
        NONCE_HEADER: nonce,
        SIGNATURE_HEADER: signature(
            secret, timestamp=timestamp, nonce=nonce, method=method, path=path, body=body
        ),
    }


def verify(
    secret: str,
    body: bytes,
    headers: Mapping[str, str],
    *,
    path: str,
    method: str = "POST",
    tolerance_seconds: int = 300,
    now: float | None = None,
) -> str:
    """Check the signature and freshness of a request; return its nonce for the replay check.

    Args:
        secret: the shared secret.
        body: the raw request body.
        headers: the request headers (any case).
        path: the path the request was received on, without the query string.
        method: the request method.
        tolerance_seconds: how far the timestamp may be from now.
        now: the current time (Unix seconds); the clock if None.

    Raises:
        BadSignature: a header is missing or malformed, the timestamp is stale, or the
            signature does not match.
    """
    lowered = {k.lower(): v for k, v in headers.items()}
    stamp = lowered.get(TIMESTAMP_HEADER.lower(), "")
    nonce = lowered.get(NONCE_HEADER.lower(), "")
    given = lowered.get(SIGNATURE_HEADER.lower(), "")
    well_formed = _TIMESTAMP.fullmatch(stamp) and _NONCE.fullmatch(nonce)
    if not (well_formed and _SIGNATURE.fullmatch(given)):
        raise BadSignature("missing or malformed signature headers")
    timestamp = int(stamp)
    if abs((time.time() if now is None else now) - timestamp) > tolerance_seconds:
        raise BadSignature(f"timestamp outside the {tolerance_seconds}s window")
    try:
        expected = signature(
            secret, timestamp=timestamp, nonce=nonce, method=method, path=path, body=body
        )
    except ValueError as exc:
        raise BadSignature(str(exc)) from None
    if not hmac.compare_digest(given, expected):
        raise BadSignature("signature does not match the request")
    return nonce
