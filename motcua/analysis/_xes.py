"""Export the event log as IEEE 1849 XES, written as it is read: one trace in memory at a time.

Activity labelling (what pm4py, ProM or Celonis discover as activities): an officer's task events
(``task.created/claimed/released/decided/cancelled``) are labelled with the definition step id
(``receive``, ``review``, ``sign``) and carry the XES lifecycle transition (schedule, start,
suspend, complete, withdraw); every other event is labelled with its event type
(``dossier.submitted``, ``fee.paid``, ``result.issued``) and is atomic (``complete``). So the
activities of a discovered model are the steps, joined by the dossier-level milestones; filter on
``lifecycle:transition == "complete"`` (or use the "Activity" classifier) for a model with one
node per step, or the "Activity and transition" classifier for working vs waiting time. With
``lifecycle=False`` the transition is folded into the label instead (``review (start)``), for
tools that ignore the lifecycle extension.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import IO
from xml.sax.saxutils import quoteattr

from motcua.analysis._dossier_facts import DossierFacts
from motcua.dossier import (
    Event,
    TaskCancelled,
    TaskClaimed,
    TaskCreated,
    TaskDecided,
    TaskReleased,
)

XES_NAMESPACE = "http://www.xes-standard.org/"
TASK_TRANSITIONS = {
    "task.created": "schedule",
    "task.claimed": "start",
    "task.released": "suspend",
    "task.decided": "complete",
    "task.cancelled": "withdraw",
}
"""XES standard lifecycle transition of each task event type."""
TASK_EVENTS = (TaskCreated, TaskClaimed, TaskReleased, TaskDecided, TaskCancelled)

_HEADER = f"""<?xml version="1.0" encoding="UTF-8"?>
<log xes.version="1849-2016" xes.features="" xmlns="{XES_NAMESPACE}">
<extension name="Concept" prefix="concept" uri="http://www.xes-standard.org/concept.xesext"/>
<extension name="Time" prefix="time" uri="http://www.xes-standard.org/time.xesext"/>
<extension name="Organizational" prefix="org" uri="http://www.xes-standard.org/org.xesext"/>
<extension name="Lifecycle" prefix="lifecycle" uri="http://www.xes-standard.org/lifecycle.xesext"/>
<global scope="trace"><string key="concept:name" value="UNKNOWN"/></global>
<global scope="event"><string key="concept:name" value="UNKNOWN"/><date key="time:timestamp" \
value="1970-01-01T00:00:00.000+00:00"/></global>
<classifier name="Activity" keys="concept:name"/>
<classifier name="Activity and transition" keys="concept:name lifecycle:transition"/>
"""
# Characters XML 1.0 cannot carry at all, even escaped.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def activity(event: Event, *, lifecycle: bool = True) -> tuple[str, str]:
    """Return the activity label and the XES lifecycle transition of an event.

    Args:
        event: A log event.
        lifecycle: Whether the transition is a separate attribute (``("review", "start")``);
            when False it is folded into the label (``("review (start)", "start")``).
    """
    transition = TASK_TRANSITIONS.get(event.type)
    if transition is None or not isinstance(event, TASK_EVENTS):
        return event.type, "complete"
    label = event.step_id or event.task_id
    return (label, transition) if lifecycle else (f"{label} ({transition})", transition)


def handling_agency(event: Event) -> str:
    """The agency that handled the event: a task's own agency (consultations), else the event's."""
    return event.task_agency if isinstance(event, TASK_EVENTS) else event.agency


def task_id(event: Event) -> str | None:
    """The task a task event is about, else None."""
    return event.task_id if isinstance(event, TASK_EVENTS) else None


def timestamp(at: datetime) -> str:
    """ISO 8601 with milliseconds and offset, as XES requires (naive instants are taken as UTC)."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.isoformat(timespec="milliseconds")


def write_xes(
    events: Iterable[Event],
    out: IO[bytes] | Path,
    *,
    lifecycle: bool = True,
    name: str | None = None,
) -> int:
    """Write events as an XES log, one trace per dossier, and return the number of events.

    Only one dossier's events are held in memory, so ``events`` must come grouped by dossier
    code (as `iter_events` with ``order="dossier"`` reads them); within a trace they are ordered
    by ``(occurred_at, seq)``. See the module docstring for the activity labels.

    Args:
        events: Log events, grouped by dossier.
        out: A binary stream or a file path; the document is UTF-8.
        lifecycle: Emit ``lifecycle:transition`` (else fold it into the label).
        name: The log's ``concept:name``.

    Raises:
        ValueError: When a dossier's events are not contiguous.
    """
    header = _HEADER + _attr("string", "concept:name", name or "motcua event log") + "\n"
    count = 0
    with open_sink(out) as sink:
        sink.write(header.encode())
        for trace in _traces(events):
            sink.write(_trace_xml(trace, lifecycle=lifecycle).encode())
            count += len(trace)
        sink.write(b"</log>\n")
    return count


@contextmanager
def open_sink(out: IO[bytes] | Path) -> Iterator[IO[bytes]]:
    """Yield ``out`` itself, or the file at path ``out`` opened for writing (closed afterwards)."""
    if not isinstance(out, Path):
        yield out
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as file:
        yield file


def _traces(events: Iterable[Event]) -> Iterator[list[Event]]:
    done: set[str] = set()
    trace: list[Event] = []
    for event in events:
        if trace and event.dossier_code != trace[0].dossier_code:
            done.add(trace[0].dossier_code)
            yield trace
            trace = []
        if event.dossier_code in done:
            raise ValueError(f"events of dossier {event.dossier_code} are not contiguous")
        trace.append(event)
    if trace:
        yield trace


def _trace_xml(trace: list[Event], *, lifecycle: bool) -> str:
    trace.sort(key=lambda e: (e.occurred_at, e.seq))
    first = trace[0]
    channel = next((e.channel for e in trace if e.channel), None)
    parts = ["<trace>", _attr("string", "concept:name", first.dossier_code)]
    parts.append(_attr("string", "procedure", first.procedure_code))
    parts.append(_attr("int", "procedure_version", str(first.procedure_version)))
    parts.append(_attr("string", "agency", first.agency))
    if channel:
        parts.append(_attr("string", "channel", channel))
    computed, recorded = _timeliness(trace)
    if computed is not None:
        # The trace's timeliness is computed from its events (one rule, ``_timeliness``); the
        # engine's flag stays on the terminal event and is repeated here when it disagrees.
        parts.append(_attr("string", "timeliness", computed))
        if (recorded == "late") != (computed == "late"):
            parts.append(_attr("string", "recorded_timeliness", recorded or "(none)"))
    for event in trace:
        label, transition = activity(event, lifecycle=lifecycle)
        parts.append("<event>")
        parts.append(_attr("string", "concept:name", label))
        if lifecycle:
            parts.append(_attr("string", "lifecycle:transition", transition))
        parts.append(f'<date key="time:timestamp" value="{timestamp(event.occurred_at)}"/>')
        parts.append(_attr("string", "org:resource", event.actor_id))
        optional = {
            "org:role": event.actor_role,
            "event_type": event.type,
            "step_id": event.step_id,
            "step_kind": event.step_kind,
            "agency": handling_agency(event),
            "outcome": event.outcome,
            "timeliness": event.timeliness,
            "task_id": task_id(event),
            "branch_id": event.branch_id if isinstance(event, TaskCreated | TaskDecided) else None,
        }
        parts.extend(_attr("string", k, str(v)) for k, v in optional.items() if v is not None)
        parts.append(f'<int key="seq" value="{event.seq}"/>')
        parts.append("</event>")
    parts.append("</trace>\n")
    return "".join(parts)


def _timeliness(trace: list[Event]) -> tuple[str | None, str | None]:
    """(computed, recorded) timeliness of a finished dossier; (None, None) while it is open."""
    first = trace[0]
    facts = DossierFacts(first.dossier_code, first.procedure_code, first.agency, None)
    for event in trace:
        facts.apply(event)
    return facts.finished_timeliness(), facts.timeliness


def _attr(kind: str, key: str, value: str) -> str:
    # Keys are our own constants; values repeat a lot (labels, actors, agencies), hence the cache.
    return f'<{kind} key="{key}" value={_quote(value)}/>'


@lru_cache(maxsize=65_536)
def _quote(value: str) -> str:
    return quoteattr(
        _INVALID_XML.sub("\ufffd", value), {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}
    )
