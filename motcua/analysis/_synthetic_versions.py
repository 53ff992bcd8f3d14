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
from motcua.dossier import Event, event_id


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
    """The events of every batch, each dossier renamed ``V<version>-<code>``."""
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
            code = prefix + event.dossier_code
            update: dict[str, Any] = {
                "dossier_code": code,
                "workflow_id": f"dossier-{code}",
                "event_id": event_id(f"dossier-{code}", event.seq),
            }
            task_id = getattr(event, "task_id", None)
            if isinstance(task_id, str):
                update["task_id"] = prefix + task_id
            events.append(event.model_copy(update=update))
    return events


def versions_of(events: Sequence[Event]) -> dict[str, int]:
    """Each dossier's procedure version, as its events say."""
    return {e.dossier_code: e.procedure_version for e in events}
