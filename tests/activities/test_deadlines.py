"""Deadline arithmetic as the workflow gets it: due instants and the warning before them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import ActivityEnvironment

from activities.contracts import CalendarWanted, DueRequest
from activities.deadlines import DeadlineActivities
from motcua.calendar import default_calendar
from motcua.definitions import WorkSpan

due_of = DeadlineActivities(default_calendar()).due
MONDAY_10H_HANOI = datetime(2026, 11, 16, 3, 0, tzinfo=UTC)


def test_seven_working_days_and_a_warning_one_working_day_before() -> None:
    answer = due_of(DueRequest(start=MONDAY_10H_HANOI, span=WorkSpan(working_days=7)))
    # Mon 16/11 10:00 + 7 working days, with Tuesday 24/11 (Vietnamese Culture Day) off.
    assert answer.due_at == datetime(2026, 11, 26, 3, 0, tzinfo=UTC)
    assert answer.warn_at == datetime(2026, 11, 25, 3, 0, tzinfo=UTC)


def test_same_day_warns_half_way_instead_of_before_the_start() -> None:
    answer = due_of(DueRequest(start=MONDAY_10H_HANOI, span=WorkSpan(same_day=True)))
    assert answer.due_at == datetime(2026, 11, 16, 10, 0, tzinfo=UTC)  # 17:00 in Hà Nội
    assert MONDAY_10H_HANOI < answer.warn_at < answer.due_at


def test_after_the_cutoff_the_clock_starts_the_next_working_day() -> None:
    friday_1530 = datetime(2026, 11, 20, 8, 30, tzinfo=UTC)
    answer = due_of(DueRequest(start=friday_1530, span=WorkSpan(same_day=True)))
    assert answer.due_at == datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # Monday 17:00


def test_the_demo_clock_compresses_calendar_time_from_its_epoch() -> None:
    epoch = MONDAY_10H_HANOI
    real = due_of(DueRequest(start=epoch, span=WorkSpan(working_days=7)))
    fast = due_of(
        DueRequest(start=epoch, span=WorkSpan(working_days=7), time_scale=1000, clock_epoch=epoch)
    )
    assert fast.due_at - epoch == (real.due_at - epoch) / 1000
    # One real minute later, the fast calendar is 1000 minutes on: past Monday's working hours.
    later = epoch + timedelta(minutes=1)
    same_day = due_of(
        DueRequest(start=later, span=WorkSpan(same_day=True), time_scale=1000, clock_epoch=epoch)
    )
    assert (same_day.due_at - epoch) * 1000 > timedelta(days=1)


async def test_the_worker_hands_a_window_around_the_days_asked_or_the_whole_calendar() -> None:
    calendar = default_calendar()
    activities = DeadlineActivities(calendar)
    env = ActivityEnvironment()
    # What a dossier asks with: held version, and the days its due date needs.
    asked = CalendarWanted(held="old", first=date(2026, 12, 3), last=date(2029, 1, 2))
    windowed = await env.run(activities.working_calendar, asked)
    assert windowed.window == (date(2026, 1, 1), date(2031, 12, 31))
    assert windowed.holidays == sorted(d for d in calendar.holidays if 2026 <= d.year <= 2031)
    # The calendar handover asked with the held version alone: it still decodes, and gets all.
    converter = pydantic_data_converter.payload_converter
    (bare,) = converter.from_payloads(converter.to_payloads(["old"]), [CalendarWanted])
    whole = await env.run(activities.working_calendar, bare)
    assert whole.window is None and whole.calendar == calendar
    assert whole.version == windowed.version
