"""Period bounds as the agency reads them: a calendar day starts at midnight in the agency's
time zone (Asia/Ho_Chi_Minh by default, ``MOTCUA_AGENCY_TIMEZONE``), not at UTC midnight.

A bound is either a date (``2026-10-01``: that day's local midnight) or an explicit instant
with its offset (``2026-10-01T06:40:00+07:00``). An instant without an offset is refused: it
would silently mean UTC to one reader and local time to another.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["PeriodError", "agency_zone", "local_midnight", "parse_bound", "to_instant"]

DEFAULT_ZONE = "Asia/Ho_Chi_Minh"


class PeriodError(ValueError):
    """A period bound that is neither a date nor an instant with an offset."""


def agency_zone(name: str = DEFAULT_ZONE) -> ZoneInfo:
    """The IANA zone ``name``; :class:`PeriodError` when the zone database does not know it."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise PeriodError(f"unknown time zone {name!r}: expected an IANA name such as "
                          f"{DEFAULT_ZONE!r}") from None  # fmt: skip


def local_midnight(day: date, zone: tzinfo) -> datetime:
    """The instant (UTC) at which ``day`` starts in ``zone``."""
    return datetime.combine(day, time(), tzinfo=zone).astimezone(UTC)


def to_instant(bound: date | datetime, zone: tzinfo) -> datetime:
    """A parsed bound as a UTC instant: a date is its local midnight in ``zone``.

    Raises:
        PeriodError: A datetime without an offset.
    """
    if isinstance(bound, datetime):
        if bound.tzinfo is None or bound.utcoffset() is None:
            raise PeriodError(
                f"{bound.isoformat()} has no UTC offset: give a date (a local calendar day) "
                "or an instant with its offset, e.g. 2026-10-01T06:40:00+07:00"
            )
        return bound.astimezone(UTC)
    return local_midnight(bound, zone)


def parse_bound(text: str, zone: tzinfo) -> datetime:
    """``YYYY-MM-DD`` (local midnight in ``zone``) or an ISO 8601 instant with an offset.

    Raises:
        PeriodError: Anything else, with a message that says what is expected.
    """
    value = text.strip()
    try:
        parsed: date | datetime = (
            date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value)
        )
    except ValueError:
        raise PeriodError(
            f"{text!r} is not a date (YYYY-MM-DD) or an ISO 8601 instant with an offset "
            "(e.g. 2026-10-01T06:40:00+07:00)"
        ) from None
    return to_instant(parsed, zone)
