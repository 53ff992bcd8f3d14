"""Redaction of personal data from log output (Decree 13/2023 on personal data).

Two nets: fields known to be personal (``full_name``, ``address``, ``phone``, …) lose their value
whatever it looks like, in structured extras and in dict-, JSON- or logfmt-looking text; and
numbers shaped like personal IDs, old ID cards and phone numbers are masked wherever they appear.
Dossier codes, timestamps, hashes and amounts keep their shape (see the patterns' boundaries).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, MutableMapping
from datetime import date, time, timedelta
from typing import Any

from pydantic import BaseModel

from motcua.observability._patterns import (
    KEYED_VALUE,
    OLD_ID_CARD,
    PERSONAL_ID,
    PHONE,
    is_personal_key,
)

REDACTED = "[redacted]"

# structlog's own keys: never a personal field, even when one is called ``name``-like.
_STRUCTURAL_KEYS = frozenset({"event", "logger", "level", "timestamp", "exception", "stack"})
# structlog's metadata of a stdlib record, removed before rendering.
_META_KEYS = frozenset({"_record", "_from_structlog"})
# Values that carry no text of their own.
_PLAIN = (bool, int, float, date, time, timedelta)


def _mask(keep_head: int, match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group())
    return digits[:keep_head] + "*" * (len(digits) - keep_head - 2) + digits[-2:]


def _keyed(match: re.Match[str]) -> str:
    if not is_personal_key(match.group("name")):
        return match.group()
    value = match.group("value")
    quote = value[0] if value[:1] in ("'", '"') else ""
    return f"{match.group('key')}{quote}{REDACTED}{quote}"


def redact_text(text: str) -> str:
    """``text`` with personal fields' values dropped and ID and phone numbers masked (the first
    digits and the last two stay, so an operator can tell two citizens apart in one trace)."""
    text = KEYED_VALUE.sub(_keyed, text)
    text = PERSONAL_ID.sub(lambda m: _mask(3, m), text)
    text = PHONE.sub(lambda m: _mask(3, m), text)
    return OLD_ID_CARD.sub(lambda m: _mask(2, m), text)


def redact_value(value: Any) -> Any:
    """A log value with personal data removed: strings masked, personal fields of mappings (and
    of lists of them) dropped, recursively; numbers and other values kept as they are."""
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, Mapping):
        return {k: REDACTED if is_personal_key(k) else redact_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return type(value)(redact_value(v) for v in value)
    if isinstance(value, BaseModel):  # its repr would carry every field in the clear
        return redact_value(value.model_dump(mode="json"))
    if isinstance(value, BaseException):
        return redact_text(f"{type(value).__name__}: {value}")
    if value is None or isinstance(value, _PLAIN):
        return value
    # Any other object would be rendered by its repr, unredacted: render it here instead.
    return redact_text(repr(value))


def redact_processor(_logger: Any, _name: str, event_dict: MutableMapping[str, Any]) -> Any:
    """structlog processor: drops personal fields and redacts every other value, the event
    name and a formatted exception included."""
    for key, value in list(event_dict.items()):
        if key in _META_KEYS:
            continue
        if key not in _STRUCTURAL_KEYS and is_personal_key(key):
            event_dict[key] = REDACTED
        else:
            event_dict[key] = redact_value(value)
    return event_dict
