"""A slip's HTML as a PDF, by WeasyPrint, with the DejaVu fonts Debian ships (they carry every
Vietnamese diacritic)."""

from __future__ import annotations

from functools import cache
from typing import Any

from motcua.slips._html import STYLESHEET

__all__ = ["pdf_of"]


@cache
def _stylesheet() -> tuple[Any, Any]:
    """The slips' stylesheet, parsed once, with the font configuration it was parsed against
    (WeasyPrint's font look-ups are its slowest part: kept for every later slip)."""
    # Imported on first use: WeasyPrint takes a second to load, and most processes never print.
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    return CSS(filename=str(STYLESHEET), font_config=fonts), fonts


def pdf_of(html: str) -> bytes:
    """The PDF of a slip page made by ``slip_html(..., stylesheet=None)``."""
    from weasyprint import HTML

    stylesheet, fonts = _stylesheet()
    document = HTML(string=html).render(stylesheets=[stylesheet], font_config=fonts)
    pdf: bytes = document.write_pdf()
    return pdf
