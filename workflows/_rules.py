"""The rules an officer's or citizen's command must satisfy, as pure functions.

Each raises a ``RuleViolation`` with the message the caller sees; the workflow's update validators
call them, so a refused command never enters the workflow history. The subclass says why it was
refused — the command itself is wrong (``InvalidCommand``) or the dossier's state does not allow it
now (``StateConflict``) — and that name travels to the client as the update failure's type, so the
API can answer 422 or 409 without parsing messages; the rule's own ``code`` (``four_eyes``, …)
travels as the failure's detail, so a page can word the refusal in its reader's language.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar, Literal

from temporalio.exceptions import ApplicationError

from motcua.definitions import Procedure
from motcua.dossier import Actor, DecisionInput, TaskView

RefusalKind = Literal["invalid", "conflict"]


class RuleViolation(ApplicationError):
    """A command that the law, the procedure or the dossier's state does not allow; raise a
    subclass to say which (this base class is answered as a conflict).

    It fails the update as an application failure whose type is the kind's class name
    (``InvalidCommand`` or ``StateConflict``: clients answer 422 or 409 by it) and whose one
    detail is the rule's ``code`` (a page words the refusal in its reader's language by it).
    """

    kind: ClassVar[RefusalKind] = "conflict"
    code: ClassVar[str] = "conflict"
    failure_type: ClassVar[str] = "RuleViolation"

    def __init__(self, message: str) -> None:
        super().__init__(message, self.code, type=self.failure_type, non_retryable=True)


class InvalidCommand(RuleViolation):
    """The command is wrong whatever the dossier's state: an outcome the step does not offer, a
    document the procedure does not list or a database provides, the four-eyes rule."""

    kind = "invalid"
    code = "invalid"
    failure_type = "InvalidCommand"


class StateConflict(RuleViolation):
    """The command conflicts with the dossier's current state: the task is claimed by someone
    else or no longer open, the dossier is closed, a window has passed. It may succeed later or
    after a fresh look at the dossier."""

    kind = "conflict"
    code = "conflict"
    failure_type = "StateConflict"


class OutcomeNotOffered(InvalidCommand):
    """An outcome the task's step does not offer."""

    code = "outcome_not_offered"


class FourEyes(InvalidCommand):
    """The officer decided a step this one must be decided apart from (four-eyes rule)."""

    code = "four_eyes"


class TaskNotOpen(StateConflict):
    """The task was decided or cancelled, or never opened."""

    code = "task_not_open"


class ClaimedByOther(StateConflict):
    """A colleague holds the task."""

    code = "claimed_by_other"


_KINDS: dict[str, RefusalKind] = {
    refusal.failure_type: refusal.kind for refusal in (RuleViolation, InvalidCommand, StateConflict)
}
_CODES = {
    refusal.code
    for refusal in (OutcomeNotOffered, FourEyes, TaskNotOpen, ClaimedByOther, InvalidCommand)
}


def refusal_kind(failure_type: str | None) -> RefusalKind:
    """The kind of a refusal from the update failure's type (the kind's class name)."""
    return _KINDS.get(failure_type or "", RuleViolation.kind)


def refusal_code(failure_type: str | None, details: Sequence[Any]) -> str:
    """The rule a refusal cites, from the update failure's type and details: ``four_eyes``,
    ``outcome_not_offered``, ``task_not_open``, ``claimed_by_other``, else ``invalid`` or
    ``conflict`` (the kind)."""
    code = details[0] if details else None
    return code if code in _CODES else refusal_kind(failure_type)


@dataclass
class OpenTask:
    """A human task waiting for an officer's decision."""

    task_id: str
    step_id: str
    step_kind: str
    role: str
    agency: str
    outcomes: list[str]
    created_at: datetime
    due_at: datetime | None = None
    branch_id: str | None = None
    four_eyes_with: list[str] = field(default_factory=list)
    claimed_by: str | None = None
    claimed_at: datetime | None = None

    def view(self) -> TaskView:
        return TaskView(
            task_id=self.task_id,
            step_id=self.step_id,
            branch_id=self.branch_id,
            role=self.role,
            agency=self.agency,
            outcomes=self.outcomes,
            created_at=self.created_at,
            due_at=self.due_at,
            claimed_by=self.claimed_by,
        )


def check_actor(task: OpenTask, actor: Actor) -> None:
    if actor.agency != task.agency:
        raise InvalidCommand(
            f"task {task.task_id} belongs to agency {task.agency}, not {actor.agency}"
        )
    if actor.role != task.role:
        raise InvalidCommand(f"task {task.task_id} needs role {task.role}; you act as {actor.role}")
    if task.claimed_by is not None and task.claimed_by != actor.id:
        raise ClaimedByOther(f"task {task.task_id} is claimed by officer {task.claimed_by}")


def check_four_eyes(task: OpenTask, actor: Actor, deciders: Mapping[str, Collection[str]]) -> None:
    for other_step in task.four_eyes_with:
        if actor.id in deciders.get(other_step, ()):
            raise FourEyes(
                f"four-eyes rule: officer {actor.id} decided step {other_step} "
                f"and may not also decide step {task.step_id}"
            )


def check_missing_documents(procedure: Procedure, missing: list[str]) -> None:
    """A request to supplement lists, once and completely, only documents the procedure lists
    and no database provides (Decree 118/2025 Art. 16.3, 17.1b, 5.1(i))."""
    if not missing:
        raise InvalidCommand("a request to supplement must list the missing documents")
    for doc_id in missing:
        document = procedure.document(doc_id)
        if document is None:
            listed = ", ".join(d.id for d in procedure.documents) or "none"
            raise InvalidCommand(
                f"document '{doc_id}' is not listed by procedure {procedure.code}; listed: {listed}"
            )
        if document.replaced_by is not None:
            raise InvalidCommand(
                f"document '{doc_id}' is provided by the {document.replaced_by} data source; "
                "asking the citizen for it is prohibited (Decree 118/2025 Art. 5.1(i), 17.1b)"
            )


def check_decision(
    *,
    procedure: Procedure,
    task: OpenTask,
    decision: DecisionInput,
    deciders: Mapping[str, Collection[str]],
    now: datetime,
    supplement_window_closes: datetime | None,
) -> None:
    """Everything that must hold for ``decision`` on ``task``; raises a ``RuleViolation``."""
    check_actor(task, decision.actor)
    if decision.outcome not in task.outcomes:
        raise OutcomeNotOffered(
            f"outcome '{decision.outcome}' is not allowed at step {task.step_id}; "
            f"allowed: {', '.join(task.outcomes)}"
        )
    check_four_eyes(task, decision.actor, deciders)
    if decision.outcome == "forward":
        check_forward(procedure, task, decision.forward_to)
    if decision.outcome == "request_supplement":
        check_missing_documents(procedure, decision.missing_documents)
        if supplement_window_closes is not None and now > supplement_window_closes:
            raise StateConflict(
                "a reviewer may request supplements only within 3 working days of receipt "
                "(Decree 118/2025 Art. 19.5); the window closed at "
                f"{supplement_window_closes:%Y-%m-%d %H:%M} UTC"
            )


def check_forward(procedure: Procedure, task: OpenTask, agency: str | None) -> None:
    """A dossier is forwarded to one of the agencies its receipt step names, never to the one
    that holds it."""
    step = procedure.step(task.step_id)
    allowed = [a for a in getattr(step, "forward_to", []) if a != task.agency]
    if agency not in allowed:
        raise InvalidCommand(
            f"forward_to must name the competent agency, one of: {', '.join(allowed) or 'none'}"
        )


def check_supplement(requested: list[str], provided: Collection[str]) -> None:
    """The supplement must be complete: the deadline restarts only from a complete dossier."""
    missing = [doc for doc in requested if doc not in provided]
    if missing:
        raise InvalidCommand(f"the supplement is incomplete; still missing: {', '.join(missing)}")
