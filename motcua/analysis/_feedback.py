"""Decision 766 "feedback handled on time", from the feedback (PAKN) dossiers' events.

LEGAL.md, "KPIs — Decision 766", satisfaction group: feedback handled on time — refuse ≤ 2,
ask for more ≤ 5, handle ≤ 15, publish ≤ 2 working days. The feedback procedure
(``procedure_defs/feedback.yaml``) judges each of its officers' decisions against the deadline
that applies to it (``outcome_sla`` for a refusal or a request for more), so each deadline is one
indicator here, counted over the officers' decisions of the period:

* ``feedback_refused`` — classification decisions (a ``receipt`` step) refusing the feedback;
* ``feedback_asked`` — classification decisions asking the citizen for more;
* ``feedback_answered`` — answers (a ``review`` step);
* ``feedback_published`` — publications (an ``approval`` step).

On time is computed from the events, not read from the recorded flag: decided at or before the
decision's ``due_at``. An answer or publication task still open at ``now`` and past its due date
counts as late (it can no longer be on time); an open classification cannot be judged yet (it
is not known whether it will be refused or asked for more). Feedback dossiers count only here:
they are not administrative procedure dossiers, so the other indicators leave them out; a
feedback about a dossier (``about_dossier``) counts as a complaint about that dossier in the
satisfaction indicator (``_kpis``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from motcua.analysis._dossier_facts import aware
from motcua.dossier import Event, TaskCancelled, TaskCreated, TaskDecided

__all__ = ["FEEDBACK_INDICATORS", "FEEDBACK_PROCEDURE", "FeedbackDecision", "feedback_decisions"]

FEEDBACK_PROCEDURE = "pakn"
"""The local code of the feedback procedure (no national catalogue code; see its YAML)."""

FEEDBACK_INDICATORS = (
    "feedback_refused",
    "feedback_asked",
    "feedback_answered",
    "feedback_published",
)
"""One indicator per Decision 766 deadline, in the decree's order."""

# (step kind, outcome or None for any) → indicator.
_DEADLINE_OF = {
    ("receipt", "refuse"): "feedback_refused",
    ("receipt", "request_supplement"): "feedback_asked",
    ("review", None): "feedback_answered",
    ("approval", None): "feedback_published",
}


@dataclass(frozen=True)
class FeedbackDecision:
    """One officer decision on a feedback dossier that a Decision 766 deadline applies to."""

    indicator: str
    agency: str  # whose officers decided: the competent agency, once a feedback is forwarded
    decided_at: datetime  # the decision, or ``now`` for an open task already past due
    on_time: bool


def _indicator(step_kind: str | None, outcome: str | None) -> str | None:
    return _DEADLINE_OF.get((step_kind or "", outcome)) or _DEADLINE_OF.get((step_kind or "", None))


def feedback_decisions(
    events: Iterable[Event], *, end: datetime | None, now: datetime
) -> Iterator[FeedbackDecision]:
    """The judged decisions of the feedback dossiers in ``events`` (those before ``end``)."""
    open_tasks: dict[tuple[str, str], TaskCreated] = {}
    for e in sorted(events, key=lambda e: (aware(e.occurred_at), e.seq)):
        if e.procedure_code != FEEDBACK_PROCEDURE:
            continue
        if end is not None and aware(e.occurred_at) >= end:
            continue
        if isinstance(e, TaskCreated):
            open_tasks[e.dossier_code, e.task_id] = e
        elif isinstance(e, TaskCancelled):
            open_tasks.pop((e.dossier_code, e.task_id), None)
        elif isinstance(e, TaskDecided):
            open_tasks.pop((e.dossier_code, e.task_id), None)
            indicator = _indicator(e.step_kind, e.outcome)
            if indicator is not None:
                at = aware(e.occurred_at)
                due = None if e.due_at is None else aware(e.due_at)
                yield FeedbackDecision(indicator, e.task_agency, at, due is None or at <= due)
    for task in open_tasks.values():
        indicator = _indicator(task.step_kind, None)
        if indicator is None or task.due_at is None or aware(task.due_at) >= now:
            continue  # a classification, or a task that can still be decided on time
        yield FeedbackDecision(indicator, task.task_agency, now, False)
