"""Redaction of personal ID and phone numbers from log output (Decree 13/2023 on personal data)."""

from __future__ import annotations

import re
from collections.abc import MutableMapping
from typing import Any

# 12-digit personal IDs (CCCD) and Vietnamese phone numbers (0 or +84, then 9 digits). The
# lookarounds keep longer digit runs (hashes, amounts in VND) intact.
_PERSONAL_ID = re.compile(r"(?<![\d.])\d{12}(?![\d.])")
_PHONE = re.compile(r"(?<![\d.])(?:\+84|0)\d{9}(?![\d.])")


def redact_text(text: str) -> str:
    text = _PERSONAL_ID.sub(lambda m: m.group()[:3] + "*******" + m.group()[-2:], text)
    return _PHONE.sub(lambda m: m.group()[:3] + "*****" + m.group()[-2:], text)


def _redact(value: Any) -> Any:
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, dict):
        return {k: _redact(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_redact(v) for v in value)
    return value


def redact_processor(_logger: Any, _name: str, event_dict: MutableMapping[str, Any]) -> Any:
    """structlog processor: redacts every string value, the event name included."""
    for key, value in list(event_dict.items()):
        event_dict[key] = _redact(value)
    return event_dict
