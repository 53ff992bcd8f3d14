"""What a webhook subscriber may receive of each event type: a field not listed here never
leaves, whatever the event model grows.

Every type shares the envelope, except the acting officer's id (subscribers get the role that
acted). A type's own facts are listed one by one; left out are the evidence hashes, comment ids,
the result code (Decree 118/2025 Art. 22 builds it from the personal ID), postal tracking
numbers, a population change's kind and date (a death is personal data), and the demo clock.
A type missing from the list sends the shared envelope only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from motcua.dossier import EventBase

SHARED_FIELDS = frozenset(EventBase.ENVELOPE - {"actor_id"})

_TASK = {"task_id", "task_agency"}
_VERIFICATION = {"evidence_id", "source", "checks", "ok"}

_OWN_FIELDS: dict[str, set[str]] = {
    "dossier.submitted": {"submission_id", "bundle_id", "documents", "full_process_online"},
    "step.started": {"waits_for"},
    "dossier.accepted": {"supplement_window_closes"},
    "dossier.supplement_requested": {"missing_documents", "request_number"},
    "dossier.supplement_received": {"documents"},
    "dossier.refused": {"reason_code", "source"},
    "dossier.rejected": {"reason_code", "branches"},
    "dossier.lapsed": {"reason_code", "reference"},
    "dossier.withdrawn": {"reason_code"},
    "dossier.completed": set(),
    "dossier.rated": {"score", "complaint"},
    "verification.completed": _VERIFICATION,
    "verification.failed": _VERIFICATION | {"failed_checks"},
    "fee.exempted": {"amount"},
    "fee.assessed": {"amount", "currency"},
    "fee.requested": {"reference", "amount", "currency", "expires_at"},
    "fee.reminded": {"reference"},
    "fee.paid": {"reference", "transaction_id", "amount"},
    "fee.duplicate": {"reference", "transaction_id"},
    "fee.mismatched": {"reference", "amount_due", "amount_paid", "currency"},
    "fee.refunded": {"reference", "transaction_id", "amount", "refund_id", "reason"},
    "task.created": _TASK | {"role", "branch_id", "outcomes"},
    "task.claimed": _TASK | {"waited_seconds"},
    "task.released": _TASK,
    "task.decided": _TASK | {"branch_id", "duration_seconds", "missing_documents"},
    "task.cancelled": _TASK,
    "consultation.sent": {"branch", "system"},
    "consultation.delivered": {"branch", "ticket_id"},
    "consultation.replied": {"branch", "via", "service_id"},
    "deadline.set": {"restarted"},
    "deadline.stopped": {"reason"},
    "deadline.extended": {"original_due_at", "apology"},
    "result.issued": {"result_id", "result_type", "result_type_code"},
    "result.delivered": {"result_id", "delivery"},
    "population.changed": {"closes_dossier"},
}

# A population change's envelope ``outcome`` is its kind ("died"): not for subscribers.
_ENVELOPE_WITHHELD: dict[str, set[str]] = {"population.changed": {"outcome"}}

WEBHOOK_FIELDS: Mapping[str, frozenset[str]] = {
    event_type: frozenset((SHARED_FIELDS - _ENVELOPE_WITHHELD.get(event_type, set())) | own)
    for event_type, own in _OWN_FIELDS.items()
}
"""Per event type, every field a webhook subscriber may receive."""


def webhook_event(event: EventBase) -> dict[str, Any]:
    """``event`` as JSON, cut down to the fields its type allows subscribers."""
    allowed = WEBHOOK_FIELDS.get(event.type, SHARED_FIELDS)
    return {k: v for k, v in event.model_dump(mode="json").items() if k in allowed}
