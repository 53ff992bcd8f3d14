"""The decree's slips and forms (Decree 118/2025; Circular 03/2025/TT-VPCP Annex I) with the QR
code of Circular 01/2023/TT-VPCP: the dossier's facts (``_data``), its printable HTML
(``_html``), its PDF (``_pdf``), the QR code and its payload (``_qr``), and the tracking link
the code opens (``_links``). See docs/citizens.md."""

from motcua.slips._data import (
    FORMS,
    ISSUING_SYSTEM,
    SLIP_KINDS,
    HandOff,
    Slip,
    SlipFacts,
    SlipKind,
    SlipNotIssued,
    build_slip,
    masked_id,
)
from motcua.slips._html import STYLESHEET, slip_html
from motcua.slips._links import (
    key_matches,
    public_base,
    tracking_key,
    tracking_path,
    tracking_url,
)
from motcua.slips._pdf import pdf_of
from motcua.slips._qr import PAYLOAD_VERSION, qr_data_uri, slip_payload

__all__ = [
    "FORMS",
    "ISSUING_SYSTEM",
    "PAYLOAD_VERSION",
    "SLIP_KINDS",
    "STYLESHEET",
    "HandOff",
    "Slip",
    "SlipFacts",
    "SlipKind",
    "SlipNotIssued",
    "build_slip",
    "key_matches",
    "masked_id",
    "pdf_of",
    "public_base",
    "qr_data_uri",
    "slip_html",
    "slip_payload",
    "tracking_key",
    "tracking_path",
    "tracking_url",
]
