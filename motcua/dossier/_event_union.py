"""The event log's union: every event type of :mod:`motcua.dossier._event_types`, by ``type``."""

from __future__ import annotations

from typing import Annotated, get_args

from pydantic import Field, TypeAdapter

from motcua.dossier._event_types import (
    ConsultationDelivered,
    ConsultationReplied,
    ConsultationSent,
    DeadlineExtended,
    DeadlineSet,
    DeadlineStopped,
    DossierAccepted,
    DossierCompleted,
    DossierLapsed,
    DossierRated,
    DossierRefused,
    DossierRejected,
    DossierSubmitted,
    DossierWithdrawn,
    FeeAssessed,
    FeeDuplicate,
    FeeExempted,
    FeeMismatched,
    FeePaid,
    FeeRefunded,
    FeeReminded,
    FeeRequested,
    PopulationChanged,
    ResultDelivered,
    ResultIssued,
    StepStarted,
    SupplementReceived,
    SupplementRequested,
    TaskCancelled,
    TaskClaimed,
    TaskCreated,
    TaskDecided,
    TaskReleased,
    VerificationCompleted,
    VerificationFailed,
)
from motcua.dossier._events import EventBase

Event = Annotated[
    DossierSubmitted
    | StepStarted
    | DossierAccepted
    | SupplementRequested
    | SupplementReceived
    | DossierRefused
    | DossierRejected
    | DossierLapsed
    | DossierWithdrawn
    | DossierCompleted
    | DossierRated
    | VerificationCompleted
    | VerificationFailed
    | FeeExempted
    | FeeAssessed
    | FeeRequested
    | FeeReminded
    | FeePaid
    | FeeMismatched
    | FeeDuplicate
    | FeeRefunded
    | TaskCreated
    | TaskClaimed
    | TaskReleased
    | TaskDecided
    | TaskCancelled
    | ConsultationSent
    | ConsultationDelivered
    | ConsultationReplied
    | DeadlineSet
    | DeadlineStopped
    | DeadlineExtended
    | ResultIssued
    | ResultDelivered
    | PopulationChanged,
    Field(discriminator="type"),
]
"""Any event of the log."""

EVENT_ADAPTER: TypeAdapter[Event] = TypeAdapter(Event)
EVENT_MODELS: dict[str, type[EventBase]] = {
    model.model_fields["type"].default: model for model in get_args(get_args(Event)[0])
}
EVENT_TYPES = frozenset(EVENT_MODELS)
"""Every event type, derived from the models (webhooks subscribe to these)."""

ENDINGS = frozenset({"dossier.refused", "dossier.rejected", "dossier.lapsed", "dossier.withdrawn"})
