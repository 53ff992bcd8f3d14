"""A slip's HTML as a PDF, by WeasyPrint, with the DejaVu fonts Debian ships (they carry every
Vietnamese diacritic)."""

from __future__ import annotations

from motcua.slips._html import STYLESHEET

__all__ = ["pdf_of"]


def pdf_of(html: str) -> bytes:
    """The PDF of a slip page made by ``slip_html(..., stylesheet=None)``."""
    # Imported on first use: WeasyPrint takes a second to load, and most processes never print.
    from weasyprint import CSS, HTML

    document = HTML(string=html).render(stylesheets=[CSS(filename=str(STYLESHEET))])
    pdf: bytes = document.write_pdf()
    return pdf
