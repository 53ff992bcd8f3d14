"""The hand-off event: one row of the decree's Processing Control Sheet.

The event log is the contract between the engine, the API and the analysis. Every event type is
one model (:mod:`motcua.dossier._event_types`) on a common envelope; ``Event`` is their union,
discriminated by ``type``. In the read model an event is one row: the envelope's fields are
columns and the type's own facts are the ``data`` JSON (:func:`event_row`, :func:`event_fields`).

Events are written by activities only, never updated; their id is deterministic (workflow id +
sequence), so a retried activity re-writes the same row instead of adding one. No event carries
personal data: no names, birth dates, addresses or phone numbers, and no personal ID.

Each event also carries ``chain_hash``: the SHA-256 of the previous event's hash and of the
event's canonical form (:func:`canonical_form`, :func:`chain_link`). The workflow computes it
as it records the event and keeps the chain's head, so a row edited, deleted or inserted in the
read model no longer matches what Temporal holds (``motcua audit verify``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

Timeliness = Literal["early", "on_time", "late"]


class EventBase(BaseModel):
    """The envelope every event carries: what, where, when, who, and the hand-off."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    event_id: str = Field(description="workflow id + ':' + zero-padded sequence")
    workflow_id: str
    seq: int = Field(ge=1)
    type: str
    dossier_code: str
    procedure_code: str
    procedure_version: int
    agency: str
    occurred_at: datetime
    step_id: str | None = None
    step_kind: str | None = None
    actor_id: str = "system"
    actor_role: str | None = None
    handed_from: str | None = Field(
        default=None, description="role/agency handing the dossier over"
    )
    handed_to: str | None = Field(default=None, description="role/agency receiving it")
    outcome: str | None = None
    channel: str | None = None
    due_at: datetime | None = None
    timeliness: Timeliness | None = None
    chain_hash: str | None = Field(
        default=None,
        description="SHA-256 over the previous event's chain hash and this event's canonical form",
    )

    ENVELOPE: ClassVar[frozenset[str]] = frozenset()  # set below, once the fields are known

    @property
    def data(self) -> dict[str, Any]:
        """The type's own facts (what the ``data`` column holds), JSON-ready."""
        return self.model_dump(mode="json", exclude=set(EventBase.ENVELOPE))


EventBase.ENVELOPE = frozenset(EventBase.model_fields)


CHAIN_GENESIS = "0" * 64
"""The "previous hash" of a dossier's first event."""


def canonical_form(event: EventBase) -> bytes:
    """The bytes an event's chain hash covers: its JSON without ``chain_hash``.

    Pydantic's JSON mode of the typed event, fields that are null left out (so adding an
    optional field to an event type later changes no old hash), its instants in UTC as
    ``YYYY-MM-DDTHH:MM:SS[.ffffff]Z``, keys sorted at every level, no whitespace, UTF-8
    without escapes.
    """
    fields = event.model_dump(mode="json", exclude={"chain_hash"}, exclude_none=True)
    # The read model gives instants back in UTC whatever offset they were written with: the
    # form must not depend on it, or a row read back would not give the workflow's hash.
    for name, value in event:
        if isinstance(value, datetime) and name in fields:
            fields[name] = value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    text = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8")


def chain_link(previous: str, event: EventBase) -> str:
    """The chain hash of ``event``: SHA-256 of the previous hash (hex), a newline and the
    event's canonical form; ``previous`` is :data:`CHAIN_GENESIS` for a dossier's first event."""
    return hashlib.sha256(previous.encode("ascii") + b"\n" + canonical_form(event)).hexdigest()


def event_id(workflow_id: str, seq: int) -> str:
    return f"{workflow_id}:{seq:05d}"


def event_row(event: EventBase) -> dict[str, Any]:
    """The event as a read-model row: envelope columns plus the ``data`` JSON."""
    row = {name: getattr(event, name) for name in EventBase.ENVELOPE}
    row["data"] = event.data
    return row


def event_fields(row: Mapping[str, Any]) -> dict[str, Any]:
    """A read-model row's columns as one event's fields (``data`` spread on the envelope)."""
    fields = {k: v for k, v in row.items() if k in EventBase.ENVELOPE}
    fields.update(row.get("data") or {})
    return fields
