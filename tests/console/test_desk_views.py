"""How urgent a task looks on the desk: working time left on the Vietnamese calendar."""

from __future__ import annotations

from datetime import datetime, timedelta

from motcua.calendar import VIETNAM_TZ, load_calendar
from motcua.console._desk_views import urgency

CALENDAR = load_calendar()
MONDAY_10 = datetime(2026, 11, 23, 10, 0, tzinfo=VIETNAM_TZ)


def test_a_task_due_later_today_is_amber_with_its_working_hours_left() -> None:
    seen = urgency(CALENDAR, MONDAY_10.replace(hour=15), MONDAY_10)
    assert seen.css == "on-time" and seen.hours is not None and 0 < seen.hours <= 5


def test_a_weekend_does_not_count_as_time_left() -> None:
    # Due on Monday next week from Friday: the weekend adds no working time.
    friday = MONDAY_10 + timedelta(days=4)
    seen = urgency(CALENDAR, friday + timedelta(days=3), friday)
    assert seen.css == "on-time" and seen.hours == CALENDAR.working_hours_between(
        friday, friday + timedelta(days=3)
    )
    assert seen.hours <= 8


def test_a_task_past_its_due_date_is_late_and_one_far_off_is_early() -> None:
    assert urgency(CALENDAR, MONDAY_10 - timedelta(hours=1), MONDAY_10).css == "late"
    assert urgency(CALENDAR, MONDAY_10 + timedelta(days=7), MONDAY_10).css == "early"
    assert urgency(CALENDAR, None, MONDAY_10).hours is None
