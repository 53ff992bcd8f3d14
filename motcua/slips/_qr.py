"""QR codes (ISO/IEC 18004, TCVN 7322:2009, drawn by segno) and the slips' QR payload.

The payload of a slip's code (Circular 01/2023/TT-VPCP) is its tracking URL, so a phone's camera
opens the tracking page, followed by the circular's fields in the URL's fragment::

    https://motcua.example/track/000.00.01.H29-260115-0001?k=KEY#v=1&dossier=…&procedure=…
        &applicant=********4512&document=…&system=motcua&issued=2026-01-15T02:30:00+00:00
        &appointment=2026-01-22T10:00:00+00:00

Fields are ``application/x-www-form-urlencoded`` (UTF-8); instants are ISO 8601 in UTC with their
offset, as the event log keeps them. A browser never sends the fragment to the server, so the
applicant's masked identifier stays out of access logs. ``docs/citizens.md`` lists the fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from urllib.parse import urlencode

import segno

__all__ = ["PAYLOAD_VERSION", "qr_data_uri", "slip_payload"]

PAYLOAD_VERSION = "1"


def slip_payload(tracking_url: str, fields: Mapping[str, str | datetime | None]) -> str:
    """The tracking URL with ``fields`` (instants as ISO 8601 with their offset) as fragment;
    fields that are None are left out."""
    values = {"v": PAYLOAD_VERSION}
    for name, value in fields.items():
        if value is not None:
            values[name] = _instant(value) if isinstance(value, datetime) else value
    return f"{tracking_url}#{urlencode(values)}"


def _instant(value: datetime) -> str:
    # The read model stores UTC; SQLite returns it without a zone.
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()


def qr_data_uri(payload: str) -> str:
    """``payload`` as a QR code, a PNG ``data:`` URI for an ``<img>`` (error correction M: a slip
    that is folded or smudged still scans). PNG, not SVG: WeasyPrint draws a QR code's SVG path
    in Python, seconds per slip; it embeds a PNG as it is. 8 pixels a module print sharply."""
    code = segno.make(payload, error="m", micro=False, boost_error=False)
    return str(code.png_data_uri(scale=8, border=4, dark="#000", light="#fff"))
