"""Refusals: how a command the workflow does not allow comes back to the one who sent it.

Each is a ``RuleViolation`` with the message the caller sees; the workflow's update validators
raise them, so a refused command never enters the workflow history. The subclass says why it was
refused — the command itself is wrong (``InvalidCommand``) or the dossier's state does not allow it
now (``StateConflict``) — and that name travels to the client as the update failure's type, so the
API can answer 422 or 409 without parsing messages; the rule's own ``code`` (``four_eyes``, …)
travels as the failure's detail, so a page can word the refusal in its reader's language. Shared
by the workflows that raise them and the engine's clients that read them back.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar, Literal

from temporalio.exceptions import ApplicationError

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
