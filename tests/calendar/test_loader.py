"""Loading the calendar: statutory holidays from ``holidays`` and the announced-days file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from motcua.calendar import DEFAULT_OVERRIDES, default_calendar, load_calendar
from motcua.calendar._statutory import _ensure_culture_day, statutory_days


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "announced.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_packaged_file_is_shipped_and_loaded() -> None:
    assert DEFAULT_OVERRIDES.is_file()
    cal = default_calendar()
    assert date(2026, 1, 2) in cal.extra_days_off
    assert date(2026, 1, 10) in cal.extra_working_days
    assert default_calendar() is cal  # cached


def test_statutory_days_cover_the_labour_code_list() -> None:
    days = statutory_days([2026]).holidays
    expected = {
        date(2026, 1, 1),  # New Year
        *(date(2026, 2, d) for d in range(16, 21)),  # Tết, 5 days
        date(2026, 4, 27),  # Hùng Kings (Sun 26/4) taken on Monday
        date(2026, 4, 30),
        date(2026, 5, 1),
        date(2026, 9, 1),  # the day adjacent to National Day
        date(2026, 9, 2),
        date(2026, 11, 24),  # Vietnamese Culture Day
    }
    assert expected <= days


def test_years_limit_the_statutory_holidays(tmp_path: Path) -> None:
    empty = _write(tmp_path, "# nothing announced\n")
    cal = load_calendar(overrides=empty, years=[2026])
    assert not cal.is_working_day(date(2026, 2, 17))
    assert cal.is_working_day(date(2025, 1, 29))  # Tết 2025 is outside the loaded years
    assert not cal.extra_days_off


def test_custom_override_file(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """\
2027:
  days_off: [2027-04-29]
  working_days: [2027-04-24]
  reference: "test announcement"
""",
    )
    cal = load_calendar(overrides=path, years=[2027])
    assert not cal.is_working_day(date(2027, 4, 29))
    assert cal.is_working_day(date(2027, 4, 24))


def test_culture_day_fallback_for_older_holidays_releases() -> None:
    days: set[date] = set()
    _ensure_culture_day(days, date(2029, 11, 24))  # a Saturday
    assert days == {date(2029, 11, 24), date(2029, 11, 26)}
    days = {date(2026, 11, 24)}
    _ensure_culture_day(days, date(2026, 11, 24))
    assert days == {date(2026, 11, 24)}


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("2026:\n  days_off: [2026-02-30]\n  reference: x\n", 2, "invalid date"),
        ("2026:\n  reference: x\n  days_off:\n    - 2026-01-03\n", 4, "Saturday"),
        ("2026:\n  reference: x\n  working_days: [2026-01-05]\n", 3, "Monday"),
        ("2026:\n  days_off: [2025-12-31]\n  reference: x\n", 2, "not in 2026"),
        ("2026:\n  working_days: [2029-01-06]\n  reference: x\n", 2, "too far"),
        ("2026:\n  days_off: [2026-01-02]\n", 2, "reference is required"),
        ("2026:\n  reference: x\n  holidays: []\n", 3, "unknown key"),
        ("2026:\n  reference: x\n  days_off: 2026-01-02\n", 3, "must be a list"),
        ("2026:\n  reference: x\n  days_off: [tomorrow]\n", 3, "YYYY-MM-DD"),
        ("2026:\n  reference: x\n2026:\n  reference: y\n", 3, "appears twice"),
        ("twenty:\n  reference: x\n", 1, "four-digit year"),
        ("- 2026-01-02\n", 1, "mapping of years"),
        ("2026:\n  days_off: [2026-01-02\n", 3, "invalid YAML"),
    ],
)
def test_malformed_file_names_file_and_line(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ValueError, match=message) as caught:
        load_calendar(overrides=path, years=[2026])
    assert str(caught.value).startswith(f"{path}:{line}:")
