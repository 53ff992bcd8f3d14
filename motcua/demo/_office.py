"""The office model: officers per role and agency who work the calendar's hours, one task at a
time, first come first served. Pure: no engine, no clock but the virtual instants it is given."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from motcua.calendar import WorkCalendar
from motcua.demo._office_file import OfficeFile


@dataclass(frozen=True)
class Assignment:
    """Who works a task and when (virtual instants): ``start`` is when the officer claims it,
    ``end`` when they decide it."""

    officer: str
    ready: datetime
    start: datetime
    end: datetime

    @property
    def waiting(self) -> float:
        """Seconds the task waited for an officer (calendar time, nights included)."""
        return (self.start - self.ready).total_seconds()


@dataclass
class Office:
    """Officers of every role at every agency; each is free again when their last task ends."""

    plan: OfficeFile
    calendar: WorkCalendar
    _free_at: dict[str, list[datetime | None]] = field(default_factory=dict)

    def assign(self, *, role: str, agency: str, ready: datetime, minutes: float) -> Assignment:
        """Give a task that became ready at ``ready`` to the officer of ``role@agency`` who can
        start it first; it takes ``minutes`` of working time, paused over breaks and nights."""
        pool = self._pool(role, agency)
        starts = [ready if free is None else max(ready, free) for free in pool]
        chosen = min(range(len(pool)), key=lambda i: (starts[i], i))
        # Adding no working time moves an instant outside office hours to the next opening.
        start = self.calendar.add_working_hours(starts[chosen], 0)
        end = self.calendar.add_working_hours(start, minutes / 60)
        pool[chosen] = end
        officer = f"{agency}/{role}/{chosen + 1}"
        return Assignment(officer=officer, ready=ready, start=start, end=end)

    def _pool(self, role: str, agency: str) -> list[datetime | None]:
        key = f"{role}@{agency}"
        if key not in self._free_at:
            self._free_at[key] = [None] * self.plan.officer_count(role, agency)
        return self._free_at[key]
