"""Which days are working days: weekends, statutory holidays, substitutes, announcements."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from motcua.calendar import WorkCalendar


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def test_tet_2026_break_is_not_worked(cal: WorkCalendar) -> None:
    # Tết Bính Ngọ: lunar new year Tue 17/2/2026; civil servants off Sat 14/2 - Sun 22/2.
    assert not any(cal.is_working_day(d) for d in _days(date(2026, 2, 14), date(2026, 2, 22)))
    assert cal.previous_working_day(date(2026, 2, 17)) == date(2026, 2, 13)
    assert cal.next_working_day(date(2026, 2, 13)) == date(2026, 2, 23)
    assert cal.is_working_day(date(2026, 2, 13))
    assert cal.is_working_day(date(2026, 2, 23))


def test_tet_2025_break_is_not_worked(cal: WorkCalendar) -> None:
    # Tết Ất Tỵ: off Sat 25/1 - Sun 2/2/2025; Mon 27/1 stands in for the 4th of Tết (a Saturday).
    assert not any(cal.is_working_day(d) for d in _days(date(2025, 1, 25), date(2025, 2, 2)))
    assert cal.next_working_day(date(2025, 1, 24)) == date(2025, 2, 3)


@pytest.mark.parametrize(
    ("holiday", "substitute"),
    [
        (date(2023, 9, 2), date(2023, 9, 4)),  # National Day on a Saturday -> Monday
        (date(2023, 1, 1), date(2023, 1, 2)),  # New Year on a Sunday -> Monday
        (date(2021, 5, 1), date(2021, 5, 3)),  # Labour Day on a Saturday -> Monday
        (date(2026, 4, 26), date(2026, 4, 27)),  # Hùng Kings on a Sunday -> Monday
    ],
)
def test_holiday_on_a_rest_day_moves_to_the_next_working_day(
    cal: WorkCalendar, holiday: date, substitute: date
) -> None:
    assert holiday.weekday() >= 5
    assert not cal.is_working_day(substitute)
    assert cal.is_working_day(cal.next_working_day(substitute))


def test_two_weekend_holidays_give_two_substitute_days(cal: WorkCalendar) -> None:
    # 30/4/2022 (Sat) and 1/5/2022 (Sun): Mon 2/5 and Tue 3/5 off, back on Wed 4/5.
    assert not cal.is_working_day(date(2022, 5, 2))
    assert not cal.is_working_day(date(2022, 5, 3))
    assert cal.next_working_day(date(2022, 4, 29)) == date(2022, 5, 4)


def test_national_day_has_an_adjacent_day(cal: WorkCalendar) -> None:
    assert not cal.is_working_day(date(2025, 9, 1))
    assert not cal.is_working_day(date(2025, 9, 2))
    assert cal.is_working_day(date(2025, 9, 3))


def test_culture_day_from_2026(cal: WorkCalendar) -> None:
    assert not cal.is_working_day(date(2026, 11, 24))
    assert cal.next_working_day(date(2026, 11, 23)) == date(2026, 11, 25)
    assert cal.is_working_day(date(2025, 11, 24))  # not a holiday before 2026 (a Monday)


def test_culture_day_on_a_saturday_is_taken_on_monday(cal: WorkCalendar) -> None:
    assert date(2029, 11, 24).weekday() == 5
    assert not cal.is_working_day(date(2029, 11, 26))


@pytest.mark.parametrize(
    ("day_off", "make_up"),
    [
        (date(2026, 1, 2), date(2026, 1, 10)),  # New Year 2026 (from the announced file)
        (date(2026, 8, 31), date(2026, 8, 22)),  # National Day 2026
        (date(2025, 5, 2), date(2025, 4, 26)),  # 30/4-1/5 2025
        (date(2024, 4, 29), date(2024, 5, 4)),  # 30/4-1/5 2024
    ],
)
def test_announced_swaps(cal: WorkCalendar, day_off: date, make_up: date) -> None:
    assert not cal.is_working_day(day_off)
    assert make_up.weekday() == 5
    assert cal.is_working_day(make_up)


def test_make_up_saturday_is_the_next_working_day(cal: WorkCalendar) -> None:
    assert cal.next_working_day(date(2026, 1, 9)) == date(2026, 1, 10)
    assert cal.previous_working_day(date(2026, 1, 12)) == date(2026, 1, 10)


def test_plain_weekdays_and_weekends() -> None:
    bare = WorkCalendar()
    assert bare.is_working_day(date(2026, 3, 6))  # Friday
    assert not bare.is_working_day(date(2026, 3, 7))  # Saturday
    assert not bare.is_working_day(date(2026, 3, 8))  # Sunday
    assert bare.next_working_day(date(2026, 3, 6)) == date(2026, 3, 9)
    assert bare.previous_working_day(date(2026, 3, 9)) == date(2026, 3, 6)


def test_announcement_beats_statutory_holiday() -> None:
    d = date(2026, 5, 1)
    assert WorkCalendar(holidays=frozenset({d}), extra_working_days=frozenset({d})).is_working_day(
        d
    )


def test_contradictory_announcements_are_rejected() -> None:
    d = date(2026, 5, 4)
    with pytest.raises(ValueError, match="2026-05-04"):
        WorkCalendar(extra_working_days=frozenset({d}), extra_days_off=frozenset({d}))


def test_calendar_without_working_days_fails_instead_of_looping() -> None:
    everything = frozenset(date(2026, 1, 1) + timedelta(days=n) for n in range(4000))
    with pytest.raises(ValueError, match="no working day"):
        WorkCalendar(holidays=everything).next_working_day(date(2026, 1, 1))
