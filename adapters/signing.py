"""HMAC signatures for events between systems (payment callbacks, consultation replies, webhooks).

The signature covers ``"{timestamp}.{nonce}."`` followed by the raw body, so neither the body nor
the time it was sent can be altered; the receiver rejects an old timestamp and a nonce it has
seen before (replay).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Mapping

TIMESTAMP_HEADER = "X-Motcua-Timestamp"
NONCE_HEADER = "X-Motcua-Nonce"
SIGNATURE_HEADER = "X-Motcua-Signature"


class BadSignature(Exception):
    """The event is unsigned, tampered with, or too old."""


def signature(secret: str, body: bytes, timestamp: int, nonce: str) -> str:
    message = f"{timestamp}.{nonce}.".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signed_headers(secret: str, body: bytes, *, now: float | None = None) -> dict[str, str]:
    """Headers to send with ``body``."""
    timestamp = int(time.time() if now is None else now)
    nonce = secrets.token_hex(16)
    return {
        TIMESTAMP_HEADER: str(timestamp),
        NONCE_HEADER: nonce,
        SIGNATURE_HEADER: signature(secret, body, timestamp, nonce),
    }


def verify(
    secret: str,
    body: bytes,
    headers: Mapping[str, str],
    *,
    tolerance_seconds: int = 300,
    now: float | None = None,
) -> str:
    """Check the signature and freshness of an event; return its nonce for the replay check."""
    lowered = {k.lower(): v for k, v in headers.items()}
    try:
        timestamp = int(lowered[TIMESTAMP_HEADER.lower()])
        nonce = lowered[NONCE_HEADER.lower()]
        given = lowered[SIGNATURE_HEADER.lower()]
    except (KeyError, ValueError):
        raise BadSignature("missing or malformed signature headers") from None
    if abs((time.time() if now is None else now) - timestamp) > tolerance_seconds:
        raise BadSignature(f"timestamp outside the {tolerance_seconds}s window")
    if not hmac.compare_digest(given, signature(secret, body, timestamp, nonce)):
        raise BadSignature("signature does not match the body")
    return nonce
