"""What the desk shows beyond the read model's rows: how urgent a task is in working time, which
outcomes and documents a decision form offers, and a refusal in the officer's words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from motcua.api._errors import ApiError
from motcua.calendar import WorkCalendar, load_calendar
from motcua.definitions import Catalog, Document, Procedure
from motcua.engine import CommandRefused
from motcua.services import Officer
from motcua.settings import Settings
from motcua.store import DossierRow, TaskRow

DAY_HOURS = 8.0  # a working day (Decree 118/2025 counts deadlines in working days of 8 hours)


@cache
def _calendar(settings_file: str | None) -> WorkCalendar:
    return load_calendar(overrides=Path(settings_file) if settings_file else None)


def work_calendar(settings: Settings) -> WorkCalendar:
    """The agencies' working calendar (Settings.calendar_file), loaded once per file."""
    return _calendar(str(settings.calendar_file) if settings.calendar_file else None)


@dataclass(frozen=True)
class Urgency:
    """How much working time a task has left: ``css`` is ``late`` (past its due date),
    ``on-time`` (due within a working day) or ``early``; ``hours`` the working hours left."""

    css: str
    hours: float | None


def urgency(calendar: WorkCalendar, due_at: datetime | None, now: datetime) -> Urgency:
    if due_at is None:
        return Urgency(css="early", hours=None)
    due = due_at if due_at.tzinfo else due_at.replace(tzinfo=UTC)
    if due <= now:
        return Urgency(css="late", hours=-calendar.working_hours_between(due, now))
    left = calendar.working_hours_between(now, due)
    return Urgency(css="on-time" if left <= DAY_HOURS else "early", hours=left)


def procedure_of(catalog: Catalog, dossier: DossierRow) -> Procedure | None:
    """The definition the dossier runs on (None for a version no longer loaded)."""
    try:
        return catalog.get(dossier.procedure_code, dossier.procedure_version)
    except KeyError:
        return None


def four_eyes_blocked(
    procedure: Procedure | None, task: TaskRow, officer: Officer, tasks: list[TaskRow]
) -> bool:
    """Whether ``officer`` decided a step ``task``'s step must be decided apart from: then they
    are offered no decision on it (the workflow would refuse it anyway)."""
    if procedure is None or task.step_id is None:
        return False
    try:
        apart_from = getattr(procedure.step(task.step_id), "four_eyes_with", [])
    except KeyError:
        return False
    return any(t.step_id in apart_from and t.decided_by == officer.id for t in tasks)


def askable_documents(procedure: Procedure | None) -> list[Document]:
    """The documents a request to supplement may list: those the procedure lists that no
    database provides (Decree 118/2025 Art. 17.1b)."""
    if procedure is None:
        return []
    return [d for d in procedure.documents if d.replaced_by is None]


def refusal_key(error: ApiError) -> str:
    """The message key of a refused command: the workflow's rule when it refused, else what
    the API's own checks said."""
    cause = error.__cause__
    if isinstance(cause, CommandRefused):
        return f"desk.refusal.{cause.code}"
    if error.status == 409:
        return "desk.refusal.task_not_open"
    if error.status in (403, 404):
        return "desk.refusal.not_yours"
    if error.status == 503:
        return "desk.refusal.engine"
    return "desk.refusal.invalid"


def now() -> datetime:
    return datetime.now(UTC)
