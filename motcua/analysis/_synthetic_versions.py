"""Synthetic logs of several versions of one procedure, one after the other, for tests and
for trying ``simulate`` and ``compare`` without a running stack.

Each batch walks :func:`generate` with its own definition, seed and arrival period; its
dossier codes (and task ids) get the version as a prefix, so the batches never collide and
every event carries its batch's ``procedure_version``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from motcua.analysis._synthetic import generate
from motcua.definitions import Procedure
from motcua.dossier import EVENT_ADAPTER, Event, event_id


@dataclass(frozen=True)
class VersionBatch:
    """Dossiers submitted under ``procedure`` (one version) from ``start``, spread over
    ``working_days``; ``options`` go to :func:`generate` (officers, supplement_rate, ...)."""

    procedure: Procedure
    dossiers: int
    start: datetime
    working_days: float
    seed: int = 0
    options: dict[str, Any] = field(default_factory=dict)


def generate_versions(batches: Sequence[VersionBatch]) -> list[Event]:
    """The events of every batch, each dossier renamed ``V<version>-<code>`` (and the ids
    made from its code with it)."""
    events: list[Event] = []
    for batch in batches:
        prefix = f"V{batch.procedure.version}-"
        for event in generate(
            batch.dossiers,
            seed=batch.seed,
            procedure=batch.procedure,
            start=batch.start,
            working_days=batch.working_days,
            **batch.options,
        ):
            events.append(_renamed(event, event.dossier_code, prefix + event.dossier_code))
    return events


def _renamed(event: Event, old: str, new: str) -> Event:
    """``event`` with every id made from the dossier code (task, evidence, fee, result) renamed."""

    def rename(value: Any) -> Any:
        if isinstance(value, str):
            return value.replace(old, new)
        if isinstance(value, list):
            return [rename(v) for v in value]
        return value

    data = {key: rename(value) for key, value in event.model_dump().items()}
    data["event_id"] = event_id(data["workflow_id"], event.seq)
    return EVENT_ADAPTER.validate_python(data)


def versions_of(events: Sequence[Event]) -> dict[str, int]:
    """Each dossier's procedure version, as its events say."""
    return {e.dossier_code: e.procedure_version for e in events}
