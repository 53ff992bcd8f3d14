"""The operations page's reporting periods: a month (``2026-10``), a quarter (``2026-Q4``) or a
year (``2026``), as Decision 766 scorecards are published, in the agency's calendar."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

PeriodKind = Literal["month", "quarter", "year"]
_PATTERN = re.compile(r"^(?P<year>\d{4})(?:-(?:(?P<month>\d{2})|Q(?P<quarter>[1-4])))?$")


_YEARS = range(1900, 9999)


class PeriodUnknown(ValueError):
    """Text that names no month, quarter or year."""


@dataclass(frozen=True)
class Period:
    """A reporting period: its key, its kind, its first day and the day after its last."""

    key: str
    kind: PeriodKind
    first: date
    end: date  # exclusive: the first day of the next period

    @property
    def number(self) -> int:
        """The month (1-12) or quarter (1-4) within the year; the year itself for a year."""
        if self.kind == "month":
            return self.first.month
        return (self.first.month - 1) // 3 + 1 if self.kind == "quarter" else self.first.year


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def parse_period(key: str) -> Period:
    """The period ``key`` names (``2026-10``, ``2026-Q4`` or ``2026``).

    Raises:
        PeriodUnknown: Anything else, or a month outside 01-12.
    """
    found = _PATTERN.match(key.strip())
    month = int(found["month"]) if found and found["month"] else None
    if found is None or (month is not None and not 1 <= month <= 12):
        raise PeriodUnknown(f"{key!r} is not a month (2026-10), a quarter (2026-Q4) or a year")
    try:
        return _period(found.group(0), int(found["year"]), month, found["quarter"])
    except ValueError:
        raise PeriodUnknown(
            f"{key!r} is outside the years {_YEARS.start}-{_YEARS.stop - 1}"
        ) from None


def _period(key: str, year: int, month: int | None, quarter: str | None) -> Period:
    if year not in _YEARS:  # its bounds must be instants in every time zone
        raise ValueError(year)
    if month is not None:
        first = date(year, month, 1)
        return Period(key, "month", first, _add_months(first, 1))
    if quarter:
        first = date(year, 3 * int(quarter) - 2, 1)
        return Period(key, "quarter", first, _add_months(first, 3))
    return Period(key, "year", date(year, 1, 1), date(year + 1, 1, 1))


def recent_periods(today: date) -> list[Period]:
    """What the period picker offers: the last 12 months, 8 quarters and 3 years, newest first."""
    this_month = today.replace(day=1)
    months = [_add_months(this_month, -n) for n in range(12)]
    quarter = (today.month - 1) // 3
    quarters = [_add_months(date(today.year, 3 * quarter + 1, 1), -3 * n) for n in range(8)]
    return [
        *(parse_period(f"{m:%Y-%m}") for m in months),
        *(parse_period(f"{q.year}-Q{(q.month - 1) // 3 + 1}") for q in quarters),
        *(parse_period(str(today.year - n)) for n in range(3)),
    ]
