"""A slip as a printable HTML page (A4, the QR code in the upper left corner).

The same page is shown in the browser (with a link to its stylesheet and a "PDF" link) and
handed to WeasyPrint for the PDF (the stylesheet given to it directly). Labels come from the
console's messages (``messages/slip.yaml``), in the reader's language; the form's own name is
always printed in Vietnamese, as the circular names it.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

from jinja2 import FileSystemLoader

from motcua.slips._data import Slip

__all__ = ["STYLESHEET", "slip_html"]

TEMPLATES = Path(__file__).parent / "templates"
STYLESHEET = Path(__file__).parent / "slips.css"


def slip_html(
    slip: Slip, *, lang: str, zone: ZoneInfo, stylesheet: str | None, pdf_link: str | None
) -> str:
    """The slip's page; ``stylesheet`` is the URL to link (None when the caller applies
    :data:`STYLESHEET` itself, as the PDF does), ``pdf_link`` where its PDF is (None in it)."""
    # Imported here: the console imports the API, which imports this package for its links.
    from motcua.console._i18n import translate
    from motcua.console._render import _day, _when, environment

    # The console's settings (autoescape, strict undefined), over this package's templates.
    env = environment().overlay(loader=FileSystemLoader(TEMPLATES))
    env.filters["when"] = partial(_when, zone)
    env.filters["day"] = partial(_day, zone)
    return env.get_template(f"{slip.kind}.html").render(
        slip=slip,
        facts=slip.facts,
        lang=lang,
        _=partial(translate, lang),
        stylesheet=stylesheet,
        pdf_link=pdf_link,
    )
