"""The rules an officer's or citizen's command must satisfy, as pure functions.

Each raises a refusal (a ``RuleViolation`` of :mod:`motcua.dossier._refusals`) with the message
the caller sees; the workflow's update validators call them, so a refused command never enters
the workflow history. They live with the dossier's vocabulary, not in ``workflows/``, because
they read nothing of Temporal: plain data in, a refusal or nothing out.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from motcua.definitions import Procedure
from motcua.dossier._inputs import Actor, DecisionInput, TaskView
from motcua.dossier._refusals import (
    ClaimedByOther,
    FourEyes,
    InvalidCommand,
    OutcomeNotOffered,
    StateConflict,
)


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
