"""Helpers shared by the calendar tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from motcua.calendar import VIETNAM_TZ


@dataclass(frozen=True)
class Span:
    """Stand-in for ``motcua.definitions.WorkSpan`` (the calendar only duck-types it)."""

    working_days: float | None = None
    working_hours: float | None = None
    same_day: bool = False


def vn(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    """An aware local Vietnamese datetime."""
    return datetime(year, month, day, hour, minute, second, tzinfo=VIETNAM_TZ)
