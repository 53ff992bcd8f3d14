"""The event union holds every event model the topic modules define, each under its own type."""

from __future__ import annotations

from motcua import dossier
from motcua.dossier import EVENT_ADAPTER, EVENT_MODELS, EVENT_TYPES, EventBase
from motcua.dossier import _event_types as types


def test_every_defined_event_model_is_in_the_union() -> None:
    defined = {getattr(types, name) for name in types.__all__}
    assert all(issubclass(model, EventBase) for model in defined)
    assert set(EVENT_MODELS.values()) == defined
    assert {model.model_fields["type"].default for model in defined} == EVENT_TYPES
    # The package exports each of them by name, as before the split into topic modules.
    assert all(getattr(dossier, model.__name__) is model for model in defined)


def test_the_union_reads_each_type_as_its_model() -> None:
    envelope = {
        "event_id": "dossier-X:1",
        "workflow_id": "dossier-X",
        "seq": 1,
        "dossier_code": "X",
        "procedure_code": "1.004222",
        "procedure_version": 1,
        "agency": "commune-police",
        "occurred_at": "2026-01-15T02:00:00Z",
    }
    event = EVENT_ADAPTER.validate_python({**envelope, "type": "dossier.completed"})
    assert type(event) is EVENT_MODELS["dossier.completed"]
