"""Rendering a page: the Jinja2 environment, and what every template may use.

Templates get ``_`` (the message of a key in the page's language), ``lang``, ``user`` (the
signed-in caller or None), ``csrf_token`` for forms, and the ``when`` / ``day`` filters, which show
instants in the agency's time zone (Settings.agency_timezone), as officers and citizens read them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import cache, partial
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from motcua.console._i18n import LANGUAGE_COOKIE, language_of, translate
from motcua.console._session import csrf_token, signed_in

TEMPLATES_DIR = Path(__file__).parent / "templates"


@cache
def environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,  # a missing value is a bug, not an empty cell
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(request: Request, template: str, status_code: int = 200, **values: Any) -> HTMLResponse:
    """``template`` filled with ``values`` and the common names, in the caller's language."""
    lang = language_of(request)
    zone = ZoneInfo(request.app.state.context.settings.agency_timezone)
    env = environment().overlay()
    env.filters["when"] = partial(_when, zone)
    env.filters["day"] = partial(_day, zone)
    page = env.get_template(template).render(
        request=request,
        lang=lang,
        _=partial(translate, lang),
        user=signed_in(request),
        csrf_token=csrf_token(request),
        **values,
    )
    response = HTMLResponse(page, status_code=status_code)
    if request.query_params.get("lang") == lang:  # remember the switch for the next pages
        response.set_cookie(LANGUAGE_COOKIE, lang, max_age=365 * 86400, samesite="lax")
    return response


def _when(zone: ZoneInfo, value: datetime | None) -> str:
    return "" if value is None else _aware(value).astimezone(zone).strftime("%d/%m/%Y %H:%M")


def _day(zone: ZoneInfo, value: datetime | date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = _aware(value).astimezone(zone).date()
    return value.strftime("%d/%m/%Y")


def _aware(value: datetime) -> datetime:
    # The read model stores UTC; SQLite returns it without a zone.
    return value if value.tzinfo else value.replace(tzinfo=UTC)
