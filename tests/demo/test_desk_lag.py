"""The task lag the demo governs on is machine time only: a bundle member that waited for
another is timed from the command that ended that one, not from the bundle's submission."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, cast

from motcua.demo import DemoClock
from motcua.demo._clock import LagGovernor, utc_now
from motcua.demo._desk import Desk
from motcua.store import TaskRow

BUNDLE = "demo-1-00014"


def _desk() -> Desk:
    clock = DemoClock.starting(datetime(2026, 3, 2, 0, 30, tzinfo=UTC), 600)
    unused = cast(Any, None)  # the lag needs none of the desk's engine or office parts
    return Desk(unused, unused, unused, unused, unused, LagGovernor(clock), unused, unused)


def _appears(desk: Desk, workflow_id: str, after: float) -> None:
    created = utc_now() + timedelta(seconds=after)
    desk._measure(TaskRow(task_id=f"{workflow_id}/t", workflow_id=workflow_id, created_at=created))


def test_a_member_started_by_another_members_end_is_timed_from_that_command() -> None:
    desk = _desk()
    desk.triggers[BUNDLE] = utc_now() - timedelta(seconds=12)  # filed 12 s ago
    _appears(desk, f"{BUNDLE}.birth", after=-11.95)  # the first member's first task, then
    desk.sent(f"{BUNDLE}.birth")  # ... its last decision ends it; the other two start
    _appears(desk, f"{BUNDLE}.residence", after=0.08)
    _appears(desk, f"{BUNDLE}.insurance", after=0.09)
    lags = desk.governor.samples
    assert len(lags) == 3 and max(lags) < 1  # not the 12 s the birth registration took


def test_a_dossier_is_timed_from_its_own_last_command() -> None:
    desk = _desk()
    desk.sent("demo-1-00001")
    _appears(desk, "demo-1-00001", after=0.2)
    _appears(desk, "demo-1-00001", after=5.0)  # no command since: not a lag of the machine's
    assert desk.governor.samples == [desk.governor.samples[0]] and desk.governor.samples[0] < 1
