"""Clock start, the 15:00 cut-off, working-time sums, due dates and elapsed working time."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from motcua.calendar import WorkCalendar
from tests.calendar._helpers import Span, vn

# Wed 4/3/2026 is an ordinary working day; Mon 2/3/2026 starts an ordinary week.


class TestClockStart:
    def test_before_cutoff_counts_from_receipt(self, cal: WorkCalendar) -> None:
        assert cal.clock_start(vn(2026, 3, 4, 14, 59)) == vn(2026, 3, 4, 14, 59)

    def test_after_cutoff_counts_from_next_working_day(self, cal: WorkCalendar) -> None:
        assert cal.clock_start(vn(2026, 3, 4, 15, 1)) == vn(2026, 3, 5, 7, 30)

    def test_exactly_cutoff_is_not_after_it(self, cal: WorkCalendar) -> None:
        assert cal.clock_start(vn(2026, 3, 4, 15, 0)) == vn(2026, 3, 4, 15, 0)
        assert cal.clock_start(vn(2026, 3, 4, 15, 0, 1)) == vn(2026, 3, 5, 7, 30)

    def test_friday_after_cutoff_counts_from_monday(self, cal: WorkCalendar) -> None:
        assert cal.clock_start(vn(2026, 3, 6, 15, 30)) == vn(2026, 3, 9, 7, 30)

    def test_after_cutoff_before_a_holiday_counts_from_after_it(self, cal: WorkCalendar) -> None:
        # Wed 29/4/2026, then 30/4 and 1/5 (Thu, Fri) are holidays.
        assert cal.clock_start(vn(2026, 4, 29, 15, 30)) == vn(2026, 5, 4, 7, 30)
        # Fri 13/2/2026, then the Tết break until Sun 22/2.
        assert cal.clock_start(vn(2026, 2, 13, 16, 0)) == vn(2026, 2, 23, 7, 30)

    def test_early_morning_waits_for_opening(self, cal: WorkCalendar) -> None:
        assert cal.clock_start(vn(2026, 3, 4, 6, 0)) == vn(2026, 3, 4, 7, 30)

    def test_lunch_break_waits_for_afternoon(self, cal: WorkCalendar) -> None:
        assert cal.clock_start(vn(2026, 3, 4, 12, 0)) == vn(2026, 3, 4, 13, 0)
        assert cal.clock_start(vn(2026, 3, 4, 11, 30)) == vn(2026, 3, 4, 13, 0)

    def test_non_working_day_counts_from_next_working_day(self, cal: WorkCalendar) -> None:
        assert cal.clock_start(vn(2026, 3, 7, 9, 0)) == vn(2026, 3, 9, 7, 30)  # Saturday
        assert cal.clock_start(vn(2026, 11, 24, 9, 0)) == vn(2026, 11, 25, 7, 30)  # Culture Day

    def test_after_last_period_with_a_late_cutoff(self) -> None:
        late = WorkCalendar(cutoff=time(18, 0))
        assert late.clock_start(vn(2026, 3, 4, 17, 30)) == vn(2026, 3, 5, 7, 30)

    def test_any_zone_in_utc_out(self, cal: WorkCalendar) -> None:
        # 08:01 UTC is 15:01 in Hanoi: after the cut-off although it is morning in UTC.
        start = cal.clock_start(datetime(2026, 3, 4, 8, 1, tzinfo=UTC))
        assert start == vn(2026, 3, 5, 7, 30)
        assert start.tzinfo is UTC
        paris = datetime(2026, 3, 4, 8, 0, tzinfo=ZoneInfo("Europe/Paris"))  # 14:00 in Hanoi
        assert cal.clock_start(paris) == vn(2026, 3, 4, 14, 0)

    def test_naive_datetime_is_rejected(self, cal: WorkCalendar) -> None:
        with pytest.raises(ValueError, match="timezone-aware"):
            cal.clock_start(datetime(2026, 3, 4, 9, 0))


class TestAddWorkingTime:
    def test_a_full_day_ends_at_closing_not_next_morning(self, cal: WorkCalendar) -> None:
        assert cal.add_working_hours(vn(2026, 3, 2, 7, 30), 8) == vn(2026, 3, 2, 17, 0)
        assert cal.add_working_hours(vn(2026, 3, 2, 7, 30), 4) == vn(2026, 3, 2, 11, 30)

    def test_lunch_break_is_skipped(self, cal: WorkCalendar) -> None:
        assert cal.add_working_hours(vn(2026, 3, 2, 11, 0), 1) == vn(2026, 3, 2, 13, 30)

    def test_zero_from_outside_working_time_is_next_period_start(self, cal: WorkCalendar) -> None:
        assert cal.add_working_hours(vn(2026, 3, 2, 17, 0), 0) == vn(2026, 3, 3, 7, 30)
        assert cal.add_working_hours(vn(2026, 3, 2, 12, 0), 0) == vn(2026, 3, 2, 13, 0)
        assert cal.add_working_hours(vn(2026, 3, 2, 9, 0), 0) == vn(2026, 3, 2, 9, 0)

    def test_seven_working_days_from_a_monday(self, cal: WorkCalendar) -> None:
        # Mon 2/3 .. Fri 6/3, Mon 9/3, Tue 10/3.
        assert cal.add_working_days(vn(2026, 3, 2, 7, 30), 7) == vn(2026, 3, 10, 17, 0)
        assert cal.add_working_days(vn(2026, 3, 2, 10, 0), 7) == vn(2026, 3, 11, 10, 0)

    def test_seven_working_days_across_holidays(self, cal: WorkCalendar) -> None:
        # Mon 20/4 .. Fri 24/4, (Mon 27/4 substitute for Hùng Kings), Tue 28/4, Wed 29/4.
        assert cal.add_working_days(vn(2026, 4, 20, 7, 30), 7) == vn(2026, 4, 29, 17, 0)

    def test_make_up_saturday_is_counted(self, cal: WorkCalendar) -> None:
        # Fri 9/1/2026 then the make-up Sat 10/1.
        assert cal.add_working_days(vn(2026, 1, 9, 7, 30), 2) == vn(2026, 1, 10, 17, 0)
        assert cal.working_hours_between(vn(2026, 1, 9, 7, 30), vn(2026, 1, 12, 7, 30)) == 16

    def test_half_day(self, cal: WorkCalendar) -> None:
        assert cal.add_working_days(vn(2026, 3, 2, 13, 0), 0.5) == vn(2026, 3, 2, 17, 0)

    @pytest.mark.parametrize("hours", [-1.0, float("nan"), float("inf")])
    def test_bad_hours_are_rejected(self, cal: WorkCalendar, hours: float) -> None:
        with pytest.raises(ValueError, match="hours"):
            cal.add_working_hours(vn(2026, 3, 2, 9), hours)


class TestSubtractWorkingTime:
    def test_one_day_before_closing_is_the_morning(self, cal: WorkCalendar) -> None:
        # Nothing is worked between Thu 17:00 and Fri 07:30, so both mean the same; backwards
        # gives the later one, which is the last moment "1 working day before".
        assert cal.subtract_working_days(vn(2026, 3, 6, 17, 0), 1) == vn(2026, 3, 6, 7, 30)

    def test_over_a_weekend(self, cal: WorkCalendar) -> None:
        assert cal.subtract_working_days(vn(2026, 3, 9, 10, 0), 1) == vn(2026, 3, 6, 10, 0)

    def test_zero_from_outside_working_time_is_previous_period_end(self, cal: WorkCalendar) -> None:
        assert cal.subtract_working_hours(vn(2026, 3, 2, 12, 0), 0) == vn(2026, 3, 2, 11, 30)
        assert cal.subtract_working_hours(vn(2026, 3, 7, 9, 0), 0) == vn(2026, 3, 6, 17, 0)


class TestDue:
    def test_same_day_before_cutoff(self, cal: WorkCalendar) -> None:
        assert cal.due(vn(2026, 3, 4, 14, 59), Span(same_day=True)) == vn(2026, 3, 4, 17, 0)

    def test_same_day_after_cutoff(self, cal: WorkCalendar) -> None:
        assert cal.due(vn(2026, 3, 4, 15, 1), Span(same_day=True)) == vn(2026, 3, 5, 17, 0)
        assert cal.due(vn(2026, 3, 6, 15, 30), Span(same_day=True)) == vn(2026, 3, 9, 17, 0)

    def test_working_days(self, cal: WorkCalendar) -> None:
        assert cal.due(vn(2026, 3, 2, 9, 0), Span(working_days=3)) == vn(2026, 3, 5, 9, 0)
        assert cal.due(vn(2026, 3, 1, 9, 0), Span(working_days=7)) == vn(2026, 3, 10, 17, 0)

    def test_working_hours(self, cal: WorkCalendar) -> None:
        assert cal.due(vn(2026, 3, 2, 16, 0), Span(working_hours=8)) == vn(2026, 3, 3, 17, 0)
        assert cal.due(vn(2026, 3, 2, 14, 0), Span(working_hours=8)) == vn(2026, 3, 3, 14, 0)

    def test_empty_span_is_rejected(self, cal: WorkCalendar) -> None:
        with pytest.raises(ValueError, match="span"):
            cal.due(vn(2026, 3, 2, 9, 0), Span())

    def test_end_of_working_day(self, cal: WorkCalendar) -> None:
        end = cal.end_of_working_day(date(2026, 3, 4))
        assert end == vn(2026, 3, 4, 17, 0)
        assert end.tzinfo is UTC
        with pytest.raises(ValueError, match="not a working day"):
            cal.end_of_working_day(date(2026, 3, 7))


class TestElapsed:
    def test_empty_or_reversed_range_is_zero(self, cal: WorkCalendar) -> None:
        a = vn(2026, 3, 4, 9, 0)
        assert cal.working_seconds_between(a, a) == 0
        assert cal.working_seconds_between(a, a - timedelta(hours=5)) == 0

    def test_one_day(self, cal: WorkCalendar) -> None:
        assert cal.working_hours_between(vn(2026, 3, 2, 7, 30), vn(2026, 3, 3, 7, 30)) == 8
        assert cal.working_hours_between(vn(2026, 3, 2, 11, 0), vn(2026, 3, 2, 13, 30)) == 1

    def test_tet_counts_nothing(self, cal: WorkCalendar) -> None:
        assert cal.working_seconds_between(vn(2026, 2, 13, 17, 0), vn(2026, 2, 23, 7, 30)) == 0

    def test_suspension_removes_its_working_overlap(self, cal: WorkCalendar) -> None:
        a, b = vn(2026, 3, 2, 7, 30), vn(2026, 3, 7, 0, 0)  # Mon-Fri: 40 hours
        # Waiting for a supplement from Tue 16:00 to Thu 09:00: 1 + 8 + 1.5 working hours.
        pause = (vn(2026, 3, 3, 16, 0), vn(2026, 3, 5, 9, 0))
        assert cal.working_hours_between(a, b, suspended=[pause]) == 40 - 10.5

    def test_overlapping_suspensions_are_not_counted_twice(self, cal: WorkCalendar) -> None:
        a, b = vn(2026, 3, 2, 7, 30), vn(2026, 3, 7, 0, 0)
        first = (vn(2026, 3, 3, 7, 30), vn(2026, 3, 4, 17, 0))  # Tue-Wed: 16 hours
        second = (vn(2026, 3, 4, 7, 30), vn(2026, 3, 5, 17, 0))  # Wed-Thu: 16 hours
        assert cal.working_hours_between(a, b, suspended=[first, second]) == 40 - 24
        assert cal.working_hours_between(a, b, suspended=[second, first, first]) == 40 - 24

    def test_suspension_outside_the_range_is_ignored(self, cal: WorkCalendar) -> None:
        a, b = vn(2026, 3, 2, 7, 30), vn(2026, 3, 3, 7, 30)
        pause = (vn(2026, 3, 10, 7, 30), vn(2026, 3, 11, 7, 30))
        assert cal.working_hours_between(a, b, suspended=[pause]) == 8

    def test_reversed_suspension_is_rejected(self, cal: WorkCalendar) -> None:
        a, b = vn(2026, 3, 2, 7, 30), vn(2026, 3, 3, 7, 30)
        with pytest.raises(ValueError, match="suspension"):
            cal.working_seconds_between(a, b, suspended=[(b, a)])


class TestConfiguration:
    def test_default_day_is_eight_hours(self, cal: WorkCalendar) -> None:
        assert cal.hours_per_day == 8

    def test_custom_periods(self) -> None:
        three = WorkCalendar(
            periods=(
                (time(8, 0), time(10, 0)),
                (time(10, 30), time(12, 0)),
                (time(13, 30), time(17, 0)),
            )
        )
        assert three.hours_per_day == 7
        assert three.add_working_days(vn(2026, 3, 2, 8, 0), 1) == vn(2026, 3, 2, 17, 0)
        assert three.add_working_hours(vn(2026, 3, 2, 9, 0), 2) == vn(2026, 3, 2, 11, 30)

    def test_other_zone(self) -> None:
        paris = ZoneInfo("Europe/Paris")
        cal = WorkCalendar(tz=paris)
        start = datetime(2026, 3, 2, 9, 0, tzinfo=paris)
        assert cal.add_working_hours(start, 8) == datetime(2026, 3, 3, 9, 0, tzinfo=paris)

    @pytest.mark.parametrize(
        "periods",
        [
            (),
            ((time(12, 0), time(8, 0)),),
            ((time(8, 0), time(12, 0)), (time(11, 0), time(17, 0))),
            ((time(8, 0, tzinfo=UTC), time(12, 0)),),
        ],
    )
    def test_bad_periods_are_rejected(self, periods: tuple[tuple[time, time], ...]) -> None:
        with pytest.raises(ValueError, match="period"):
            WorkCalendar(periods=periods)
