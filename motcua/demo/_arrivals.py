"""When citizens file, by hour of day and day of week, in virtual time: a Poisson process whose
rate follows the office file's profiles; counters only take dossiers while the office is open."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from motcua.calendar import WorkCalendar
from motcua.demo._office_file import Arrivals

HOUR = timedelta(hours=1)
SECOND = timedelta(seconds=1)


@dataclass(frozen=True)
class Arrival:
    at: datetime  # virtual instant
    channel: Literal["online", "counter"]


def arrivals(
    profile: Arrivals, calendar: WorkCalendar, start: datetime, rng: random.Random
) -> Iterator[Arrival]:
    """Arrivals from ``start`` on, in time order, without end."""
    hour = start
    online_total = sum(profile.online_hours)
    while True:
        local = hour.astimezone(calendar.tz)
        working = calendar.is_working_day(local.date())
        day = profile.per_working_day * profile.weekday[local.weekday()]
        online = day * profile.online_share * profile.online_hours[local.hour] / online_total
        # Counter filings arrive at an even rate while the office is open, and only then.
        counter = day * (1 - profile.online_share) / calendar.hours_per_day if working else 0.0
        found = [Arrival(at, "online") for at in _poisson(rng, online, hour)]
        found += [
            Arrival(at, "counter")
            for at in _poisson(rng, counter, hour)
            if calendar.working_seconds_between(at, at + SECOND) > 0
        ]
        yield from sorted(found, key=lambda a: a.at)
        hour += HOUR


def _poisson(rng: random.Random, per_hour: float, hour: datetime) -> list[datetime]:
    if per_hour <= 0:
        return []
    out, offset = [], rng.expovariate(per_hour)
    while offset < 1:
        out.append(hour + offset * HOUR)
        offset += rng.expovariate(per_hour)
    return out
