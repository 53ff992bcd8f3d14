"""The signed string is unambiguous: a signature holds for one request only, and headers that
are not in their form are refused as unsigned."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from adapters.signing import (
    NONCE_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    BadSignature,
    canonical_request,
    signed_headers,
    verify,
)

SECRET = "a-shared-secret-of-more-than-32-characters"
BODY = b'{"reference":"000.00.01.H29-260115-0001-FEE","amount":10000}'
PATH = "/v1/callbacks/payment"
NOW = 1_780_000_000.0


def test_the_canonical_request_is_one_field_per_line_with_the_body_hash() -> None:
    canonical = canonical_request(
        timestamp=1780000000, nonce="0123456789abcdef", method="POST", path=PATH, body=BODY
    )
    assert canonical.decode().split("\n") == [
        "motcua-v2",
        "1780000000",
        "0123456789abcdef",
        "POST",
        PATH,
        hashlib.sha256(BODY).hexdigest(),
    ]


def test_a_signed_request_verifies_and_returns_its_nonce() -> None:
    headers = signed_headers(SECRET, BODY, path=PATH, now=NOW)
    assert verify(SECRET, BODY, headers, path=PATH, now=NOW) == headers[NONCE_HEADER]


@pytest.mark.parametrize(
    ("what", "body", "path", "method"),
    [
        ("another body", BODY.replace(b"10000", b"10"), PATH, "POST"),
        ("another endpoint", BODY, "/v1/agency-events", "POST"),
        ("another method", BODY, PATH, "PUT"),
    ],
)
def test_a_signature_holds_for_its_own_request_only(
    what: str, body: bytes, path: str, method: str
) -> None:
    headers = signed_headers(SECRET, BODY, path=PATH, now=NOW)
    with pytest.raises(BadSignature, match="does not match"):
        verify(SECRET, body, headers, path=path, method=method, now=NOW)


def test_bytes_cannot_move_between_the_body_and_the_nonce() -> None:
    """The old form, ``"{timestamp}.{nonce}." + body``, signed nonce ``n`` with body ``x.y``
    and nonce ``n.x`` with body ``y`` alike; a dot is no longer a nonce character."""
    headers = signed_headers(SECRET, b"abc.def", path=PATH, now=NOW)
    moved = headers | {NONCE_HEADER: headers[NONCE_HEADER] + ".abc"}
    with pytest.raises(BadSignature, match="malformed"):
        verify(SECRET, b"def", moved, path=PATH, now=NOW)
    old_form = f"{int(NOW)}.{moved[NONCE_HEADER]}.".encode() + b"def"
    forged = hmac.new(SECRET.encode(), old_form, hashlib.sha256).hexdigest()
    with pytest.raises(BadSignature):
        verify(SECRET, b"def", moved | {SIGNATURE_HEADER: forged}, path=PATH, now=NOW)


@pytest.mark.parametrize(
    ("header", "value"),
    [
        (SIGNATURE_HEADER, "é" * 64),
        (SIGNATURE_HEADER, "AB" * 32),
        (SIGNATURE_HEADER, ""),
        (NONCE_HEADER, "ñ" * 20),
        (NONCE_HEADER, "short"),
        (TIMESTAMP_HEADER, "\uff11\uff17\uff18" + "\uff10" * 7),  # full-width: int() takes them
        (TIMESTAMP_HEADER, "-1"),
    ],
)
def test_malformed_headers_are_unsigned_not_a_crash(header: str, value: str) -> None:
    headers = signed_headers(SECRET, BODY, path=PATH, now=NOW) | {header: value}
    with pytest.raises(BadSignature, match="malformed"):
        verify(SECRET, BODY, headers, path=PATH, now=NOW)


def test_stale_timestamps_are_refused() -> None:
    headers = signed_headers(SECRET, BODY, path=PATH, now=NOW - 301)
    with pytest.raises(BadSignature, match="300s window"):
        verify(SECRET, BODY, headers, path=PATH, now=NOW)


def test_a_path_with_a_line_break_cannot_be_signed() -> None:
    with pytest.raises(ValueError, match="line break"):
        signed_headers(SECRET, BODY, path="/v1/callbacks/payment\nPOST")
