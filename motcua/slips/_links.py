"""The tracking link of a dossier: ``/track/{code}?k=KEY``, the key an HMAC of the code.

The key is HMAC-SHA256 of the dossier code under the evidence pepper
(``Settings.evidence_key()``), with a label of its own so it never equals an evidence hash.
That pepper, not the session or token secret, because the link is printed on paper: it must
stay valid as long as the dossier's records do, and the pepper is the one key that is already
never rotated (rotating it would orphan every evidence hash kept); the session secret is made
per process outside production, and the token secret is rotated to revoke tokens. The key
has 128 bits (22 URL-safe characters): unguessable, and short enough for a small QR code.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from urllib.parse import quote

from motcua.settings import Settings

__all__ = ["key_matches", "public_base", "tracking_key", "tracking_path", "tracking_url"]

_LABEL = b"motcua.tracking.v1\x00"
_KEY_BYTES = 16


def tracking_key(settings: Settings, dossier_code: str) -> str:
    """The unguessable key of ``dossier_code``'s tracking link."""
    mac = hmac.new(settings.evidence_key().encode(), _LABEL + dossier_code.encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(mac.digest()[:_KEY_BYTES]).decode().rstrip("=")


def key_matches(settings: Settings, dossier_code: str, key: str | None) -> bool:
    """Whether ``key`` opens ``dossier_code`` (compared in constant time)."""
    if not key:
        return False
    return hmac.compare_digest(key.encode(), tracking_key(settings, dossier_code).encode())


def public_base(settings: Settings, request_base: str) -> str:
    """The console's public base URL: ``MOTCUA_CONSOLE_PUBLIC_URL``, else the request's."""
    return (settings.console_public_url or request_base).rstrip("/")


def tracking_path(settings: Settings, dossier_code: str) -> str:
    """``/track/{code}?k=KEY``, relative to the console's base."""
    return f"/track/{quote(dossier_code, safe='')}?k={tracking_key(settings, dossier_code)}"


def tracking_url(settings: Settings, request_base: str, dossier_code: str) -> str:
    """The absolute tracking URL printed in QR codes and given to the dossier's owner."""
    return public_base(settings, request_base) + tracking_path(settings, dossier_code)
