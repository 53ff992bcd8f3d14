"""Statutory Vietnamese holidays from the ``holidays`` package (country "VN").

With ``observed=True`` (its default for VN) the package already moves a holiday on a rest day to
the next working day (e.g. 2/9/2023, a Saturday, gives Monday 4/9/2023), places the Tết days
around the weekend, and knows some announced swaps: the bridge day off is in the holiday set and
the make-up Saturday in ``weekend_workdays``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import holidays

# Resolution 28/2026/QH16: 24/11 (Vietnamese Culture Day) is a paid holiday from 2026.
CULTURE_DAY_FROM = 2026


@dataclass(frozen=True)
class Statutory:
    """Holidays (with substitute days) and make-up working days known to the package."""

    holidays: frozenset[date]
    working_days: frozenset[date]


def statutory_days(years: Iterable[int]) -> Statutory:
    """Vietnamese statutory holidays for ``years``, with substitute days off."""
    year_list = sorted(set(years))
    vn = holidays.country_holidays("VN", years=year_list, observed=True)
    days = set(vn.keys())
    # ``weekend_workdays`` appeared with the substituted-days support; older releases lack it.
    working = set(getattr(vn, "weekend_workdays", set()))
    for year in year_list:
        if year >= CULTURE_DAY_FROM:
            _ensure_culture_day(days, date(year, 11, 24))
    return Statutory(holidays=frozenset(days), working_days=frozenset(working))


def _ensure_culture_day(days: set[date], culture_day: date) -> None:
    """Add 24/11 when an older ``holidays`` release misses it, moving it off a weekend.

    holidays 0.109 already has it; this keeps the calendar right on the older versions that
    ``pyproject.toml`` still allows.
    """
    if culture_day in days:
        return
    days.add(culture_day)
    if culture_day.weekday() >= 5:
        # Labour Code 2019 Art. 111.3: a holiday on a rest day is taken on the next working day.
        substitute = culture_day + timedelta(days=1)
        while substitute.weekday() >= 5 or substitute in days:
            substitute += timedelta(days=1)
        days.add(substitute)
