"""The calendar a dossier holds: a window of years, named by the whole calendar's version."""

from __future__ import annotations

from datetime import date

import pytest

from motcua.calendar import (
    CalendarSnapshot,
    WorkCalendar,
    snapshot_of,
    window_spanning,
    windowed_snapshot_of,
)


def test_a_window_runs_from_the_first_years_january_to_december_two_years_after_the_last() -> None:
    assert window_spanning(date(2026, 12, 3)) == (date(2026, 1, 1), date(2028, 12, 31))
    assert window_spanning(date(2026, 12, 3), date(2029, 1, 2)) == (
        date(2026, 1, 1),
        date(2031, 12, 31),
    )


def test_a_windowed_snapshot_holds_only_the_windows_days_under_the_whole_calendars_version(
    cal: WorkCalendar,
) -> None:
    whole = snapshot_of(cal)
    assert whole.calendar == cal  # what a worker computed on before does not leak into a window
    window = window_spanning(date(2026, 12, 3))
    held = whole.within(window)
    assert windowed_snapshot_of(cal, window) == held

    in_window = sorted(d for d in cal.holidays if 2026 <= d.year <= 2028)
    assert len(in_window) >= 40  # Tết alone is five days a year
    assert held.holidays == in_window
    assert held.extra_working_days == sorted(
        d for d in cal.extra_working_days if 2026 <= d.year <= 2028
    )
    assert held.extra_days_off == sorted(d for d in cal.extra_days_off if 2026 <= d.year <= 2028)
    assert held.window == window
    # The worker stamps the whole calendar's version: a windowed dossier is not handed over.
    assert held.version == whole.version
    assert len(held.model_dump_json()) < len(whole.model_dump_json()) / 3

    # Inside the window it dates as the whole calendar does: Tết 2027 is not a working day.
    assert not held.calendar.is_working_day(date(2027, 2, 8))
    assert held.calendar.is_working_day(date(2027, 2, 15))
    # Past it, it knows no holiday: what `Clock.due` never trusts.
    assert held.covers(date(2026, 1, 1), date(2028, 12, 31))
    assert not held.covers(date(2029, 1, 1))
    assert held.calendar.is_working_day(date(2029, 1, 1))
    assert not cal.is_working_day(date(2029, 1, 1))


def test_the_whole_calendar_covers_every_day_and_keeps_its_version_and_round_trip(
    cal: WorkCalendar,
) -> None:
    whole = snapshot_of(cal)
    assert whole.window is None and whole.covers(date(1990, 1, 1), date(2099, 12, 31))
    again = CalendarSnapshot.model_validate_json(whole.model_dump_json())
    assert again == whole and again.calendar == cal
    # A history recorded before windows holds no window field: it reads as the whole calendar.
    recorded = whole.model_dump_json(exclude={"window"})
    assert CalendarSnapshot.model_validate_json(recorded).window is None


def test_a_window_cannot_reach_past_the_days_a_snapshot_holds(cal: WorkCalendar) -> None:
    held = windowed_snapshot_of(cal, window_spanning(date(2026, 5, 1)))
    with pytest.raises(ValueError, match="not inside the window"):
        held.within(window_spanning(date(2027, 5, 1)))
