"""Messages in Vietnamese (the default) and English, one YAML file per console area.

Each file maps a key to its texts: ``desk.title: {vi: "Bàn làm việc", en: "Officer's desk"}``.
A key defined twice, or missing a language, stops the console at start-up, not on a page.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from fastapi import Request
from ruamel.yaml import YAML

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
LANGUAGE_COOKIE = "motcua_lang"
MESSAGES_DIR = Path(__file__).parent / "messages"


class MessagesError(ValueError):
    """A messages file with a duplicate key or a missing language."""


@cache
def messages() -> dict[str, dict[str, str]]:
    """Every key's texts, from every ``messages/*.yaml``."""
    merged: dict[str, dict[str, str]] = {}
    for file in sorted(MESSAGES_DIR.glob("*.yaml")):
        for key, texts in (YAML(typ="safe").load(file.read_text("utf-8")) or {}).items():
            if key in merged:
                raise MessagesError(f"{file.name}: {key} is defined twice")
            missing = [lang for lang in LANGUAGES if not (texts or {}).get(lang)]
            if missing:
                raise MessagesError(f"{file.name}: {key} has no {', '.join(missing)} text")
            merged[key] = texts
    return merged


def translate(language: str, key: str, **values: object) -> str:
    """The text of ``key`` in ``language``, with ``{name}`` fields filled from ``values``.

    An unknown key shows itself (a visible gap beats a broken page); the tests look for them.
    """
    texts = messages().get(key)
    if texts is None:
        return key
    text = texts[language]
    return text.format(**values) if values else text


def language_of(request: Request) -> str:
    """``?lang=`` first (the header's switch), then the cookie it sets, else Vietnamese."""
    for candidate in (request.query_params.get("lang"), request.cookies.get(LANGUAGE_COOKIE)):
        if candidate in LANGUAGES:
            return candidate
    return DEFAULT_LANGUAGE
