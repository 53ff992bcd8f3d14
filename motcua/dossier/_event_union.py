"""The event log's union: every event type of :mod:`motcua.dossier._event_types`, by ``type``."""

from __future__ import annotations

from typing import Annotated, get_args

from pydantic import Field, TypeAdapter

from motcua.dossier import _event_types as types
from motcua.dossier._events import EventBase

Event = Annotated[
    types.DossierSubmitted
    | types.StepStarted
    | types.DossierAccepted
    | types.SupplementRequested
    | types.SupplementReceived
    | types.DossierRefused
    | types.DossierRejected
    | types.DossierLapsed
    | types.DossierWithdrawn
    | types.DossierCompleted
    | types.DossierRated
    | types.VerificationCompleted
    | types.VerificationFailed
    | types.FeeExempted
    | types.FeeAssessed
    | types.FeeRequested
    | types.FeeReminded
    | types.FeePaid
    | types.FeeMismatched
    | types.FeeDuplicate
    | types.FeeRefunded
    | types.TaskCreated
    | types.TaskClaimed
    | types.TaskReleased
    | types.TaskDecided
    | types.TaskCancelled
    | types.ConsultationSent
    | types.ConsultationDelivered
    | types.ConsultationReplied
    | types.DeadlineSet
    | types.DeadlineStopped
    | types.DeadlineExtended
    | types.ResultIssued
    | types.ResultDelivered
    | types.PopulationChanged,
    Field(discriminator="type"),
]
"""Any event of the log: the one list of the event models, in the log's vocabulary order (each
topic module of :mod:`._event_types` defines its models; ``EVENT_MODELS`` is read from here)."""

EVENT_ADAPTER: TypeAdapter[Event] = TypeAdapter(Event)
EVENT_MODELS: dict[str, type[EventBase]] = {
    model.model_fields["type"].default: model for model in get_args(get_args(Event)[0])
}
EVENT_TYPES = frozenset(EVENT_MODELS)
"""Every event type, derived from the models (webhooks subscribe to these)."""

ENDINGS = frozenset({"dossier.refused", "dossier.rejected", "dossier.lapsed", "dossier.withdrawn"})
