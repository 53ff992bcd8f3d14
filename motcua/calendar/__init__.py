"""Vietnamese working-day calendar and deadline arithmetic.

Pure and deterministic: only :func:`load_calendar` (and the cached :func:`default_calendar`)
read anything, namely the ``holidays`` package and the announced-calendar YAML file.
"""

from motcua.calendar._calendar import (
    DEFAULT_CUTOFF,
    DEFAULT_PERIODS,
    VIETNAM_TZ,
    WorkCalendar,
    WorkSpanLike,
)
from motcua.calendar._loader import DEFAULT_OVERRIDES, default_calendar, load_calendar
from motcua.calendar._scaled import DossierClock
from motcua.calendar._snapshot import (
    CalendarSnapshot,
    Window,
    build_id,
    calendar_version,
    snapshot_of,
    window_spanning,
    windowed_snapshot_of,
)

__all__ = [
    "DEFAULT_CUTOFF",
    "DEFAULT_OVERRIDES",
    "DEFAULT_PERIODS",
    "VIETNAM_TZ",
    "CalendarSnapshot",
    "DossierClock",
    "Window",
    "WorkCalendar",
    "WorkSpanLike",
    "build_id",
    "calendar_version",
    "default_calendar",
    "load_calendar",
    "snapshot_of",
    "window_spanning",
    "windowed_snapshot_of",
]
