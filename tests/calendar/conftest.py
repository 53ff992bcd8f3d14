"""Fixtures for the calendar tests."""

from __future__ import annotations

import pytest

from motcua.calendar import WorkCalendar, default_calendar


@pytest.fixture(scope="session")
def cal() -> WorkCalendar:
    """The packaged calendar (statutory holidays 2020-2035 plus the announced file)."""
    return default_calendar()
