"""The event reference integrators read names every event type the engine writes."""

from __future__ import annotations

from motcua.dossier import EVENT_MODELS, EventBase
from tests.conftest import ROOT


def test_every_event_type_and_fact_is_documented() -> None:
    doc = (ROOT / "docs" / "events.md").read_text(encoding="utf-8")
    rows = {line.split("`")[1]: line for line in doc.splitlines() if line.startswith("| `")}
    assert set(rows) == set(EVENT_MODELS)
    for event_type, model in EVENT_MODELS.items():
        for fact in set(model.model_fields) - EventBase.ENVELOPE:
            assert f"`{fact}`" in rows[event_type], f"{event_type}: {fact} is not documented"
