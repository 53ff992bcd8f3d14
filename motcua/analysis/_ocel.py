"""Export the event log as OCEL 2.0 JSON (object-centric), streaming the events.

Object types: ``dossier`` (``dossier:<code>``), ``applicant``, ``officer`` (``officer:<actor id>``)
and ``agency`` (``agency:<code>``). The event log holds no personal data, so the applicant object is
a proxy per dossier, ``applicant:<dossier code>``: two dossiers of one citizen are two applicants.

Each event is related to its dossier (qualifier ``dossier``), its handling agency (``agency``), the
officer who acted (``officer``: an actor with a role other than citizen or system), and the
applicant when the citizen acted or handed the dossier over (``applicant``) or when it was handed
to the citizen (``addressee``). Event types are the XES activity labels with the lifecycle folded
in (``review (start)``, ``dossier.submitted``; see `motcua.analysis._xes`).

Events are written first, as they are read; the objects and the type declarations, which grow
with the number of dossiers and officers but not with the number of events, follow at the end.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from motcua.analysis._dossier_facts import DossierFacts
from motcua.analysis._xes import activity, handling_agency, open_sink, task_id, timestamp
from motcua.dossier import Event

EPOCH = "1970-01-01T00:00:00Z"
"""The OCEL 2.0 time of an object attribute's initial value."""
NOT_OFFICERS = frozenset({"citizen", "system"})
_OBJECT_ATTRIBUTES = {
    "dossier": {"procedure": "string", "procedure_version": "integer", "agency": "string"}
    | {"channel": "string", "timeliness": "string", "recorded_timeliness": "string"},
    "applicant": {},
    "officer": {"role": "string"},
    "agency": {},
}


@dataclass
class _Object:
    type: str
    attributes: list[dict[str, Any]] = field(default_factory=list)
    relationships: dict[str, str] = field(default_factory=dict)  # object id -> qualifier
    latest: dict[str, Any] = field(default_factory=dict)

    def set(self, name: str, value: Any, time: str = EPOCH) -> None:
        """Record an attribute value from ``time`` on, unless it is unchanged."""
        if value is None or self.latest.get(name, object()) == value:
            return
        self.latest[name] = value
        self.attributes.append({"name": name, "time": time, "value": value})


class _Objects:
    """The objects seen so far, with their attribute histories and relationships."""

    def __init__(self) -> None:
        self.by_id: dict[str, _Object] = {}
        self.facts: dict[str, DossierFacts] = {}  # per dossier, to compute its timeliness

    def get(self, type_: str, key: str) -> tuple[str, _Object]:
        oid = f"{type_}:{key}"
        obj = self.by_id.get(oid)
        if obj is None:
            obj = self.by_id[oid] = _Object(type_)
        return oid, obj

    def relate(self, event: Event, time: str) -> list[dict[str, str]]:
        """Create or update the event's objects and return its relationships."""
        dossier_id, dossier = self.get("dossier", event.dossier_code)
        if not dossier.latest:
            dossier.set("procedure", event.procedure_code)
            dossier.set("procedure_version", event.procedure_version)
            dossier.set("agency", event.agency)
        if "channel" not in dossier.latest:
            dossier.set("channel", event.channel)
        facts = self.facts.get(event.dossier_code)
        if facts is None:
            facts = self.facts[event.dossier_code] = DossierFacts(
                event.dossier_code, event.procedure_code, event.agency, None
            )
        facts.apply(event)
        # "timeliness" is computed from the events (``_timeliness``); the engine's flag is
        # "recorded_timeliness", so a disagreement is visible in the process-mining tool.
        dossier.set("timeliness", facts.finished_timeliness(), time)
        dossier.set("recorded_timeliness", event.timeliness, time)
        agency_id, _ = self.get("agency", handling_agency(event))
        dossier.relationships.setdefault(f"agency:{event.agency}", "agency")
        self.get("agency", event.agency)
        rels = {dossier_id: "dossier", agency_id: "agency"}
        if event.actor_role and event.actor_id not in NOT_OFFICERS:
            officer_id, officer = self.get("officer", event.actor_id)
            officer.set("role", event.actor_role, time if officer.latest else EPOCH)
            officer.relationships.setdefault(agency_id, "works at")
            rels[officer_id] = "officer"
        qualifier = None
        if "citizen" in (event.actor_id, event.actor_role, event.handed_from):
            qualifier = "applicant"
        elif event.handed_to == "citizen":
            qualifier = "addressee"
        if qualifier:
            applicant_id, _ = self.get("applicant", event.dossier_code)
            dossier.relationships.setdefault(applicant_id, "applicant")
            rels[applicant_id] = qualifier
        return [{"objectId": oid, "qualifier": q} for oid, q in rels.items()]


def write_ocel(events: Iterable[Event], out: IO[bytes] | Path) -> int:
    """Write events as an OCEL 2.0 JSON document and return the number of events.

    The events may come in any order; they are written in the order given.

    Args:
        events: Log events.
        out: A binary stream or a file path; the document is UTF-8.
    """
    objects = _Objects()
    event_types: defaultdict[str, dict[str, str]] = defaultdict(dict)
    count = 0
    with open_sink(out) as sink:
        sink.write(b'{"events": [')
        for event in events:
            label, transition = activity(event, lifecycle=False)
            time = timestamp(event.occurred_at)
            attributes = _event_attributes(event, transition)
            declared = event_types[label]
            for name, value in attributes.items():
                declared.setdefault(name, "integer" if isinstance(value, int) else "string")
            record = {
                "id": event.event_id,
                "type": label,
                "time": time,
                "attributes": [{"name": k, "value": v} for k, v in attributes.items()],
                "relationships": objects.relate(event, time),
            }
            sink.write((",\n" if count else "\n").encode())
            sink.write(json.dumps(record, ensure_ascii=False).encode())
            count += 1
        tail = {
            "objectTypes": [_type(name, attrs) for name, attrs in _OBJECT_ATTRIBUTES.items()],
            "eventTypes": [_type(name, attrs) for name, attrs in sorted(event_types.items())],
        }
        sink.write(b"\n], ")
        sink.write(json.dumps(tail, ensure_ascii=False)[1:-1].encode())
        sink.write(b', "objects": [')
        for n, (oid, obj) in enumerate(objects.by_id.items()):
            record = {
                "id": oid,
                "type": obj.type,
                "attributes": obj.attributes,
                "relationships": [
                    {"objectId": target, "qualifier": q} for target, q in obj.relationships.items()
                ],
            }
            sink.write((",\n" if n else "\n").encode())
            sink.write(json.dumps(record, ensure_ascii=False).encode())
        sink.write(b"\n]}\n")
    return count


def _event_attributes(event: Event, transition: str) -> dict[str, Any]:
    values = {
        "event_type": event.type,
        "lifecycle": transition,
        "step_id": event.step_id,
        "step_kind": event.step_kind,
        "actor": event.actor_id,
        "actor_role": event.actor_role,
        "outcome": event.outcome,
        "timeliness": event.timeliness,
        "channel": event.channel,
        "task_id": task_id(event),
        "seq": event.seq,
    }
    return {k: v for k, v in values.items() if v is not None}


def _type(name: str, attributes: dict[str, str]) -> dict[str, Any]:
    return {
        "name": name,
        "attributes": [{"name": k, "type": t} for k, t in attributes.items()],
    }
