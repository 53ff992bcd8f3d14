"""Verification and fee events: checks against the population data, and fees assessed, asked,
paid and refunded; one model per event type (see :mod:`._event_types`)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from motcua.dossier._events import EventBase

__all__ = [
    "FeeAssessed",
    "FeeDuplicate",
    "FeeExempted",
    "FeeMismatched",
    "FeePaid",
    "FeeRefunded",
    "FeeReminded",
    "FeeRequested",
    "VerificationCompleted",
    "VerificationFailed",
]

# ------------------------------------------------------------------------ verification


class _Verification(EventBase):
    evidence_id: str
    source: str
    checks: list[str] = Field(default_factory=list)
    query_hash: str | None = None
    response_hash: str | None = None
    ok: bool


class VerificationCompleted(_Verification):
    type: Literal["verification.completed"] = "verification.completed"


class VerificationFailed(_Verification):
    type: Literal["verification.failed"] = "verification.failed"
    failed_checks: list[str] = Field(default_factory=list)


# --------------------------------------------------------------------------------- fee


class FeeExempted(EventBase):
    type: Literal["fee.exempted"] = "fee.exempted"
    amount: int = 0


class FeeAssessed(EventBase):
    """The fee this dossier owes (channel rate, reductions), before the platform is asked."""

    type: Literal["fee.assessed"] = "fee.assessed"
    amount: int = Field(gt=0)
    currency: str = "VND"


class FeeRequested(EventBase):
    type: Literal["fee.requested"] = "fee.requested"
    reference: str
    amount: int = Field(gt=0)
    currency: str = "VND"
    expires_at: datetime | None = Field(default=None, description="as the platform holds it")


class FeeReminded(EventBase):
    type: Literal["fee.reminded"] = "fee.reminded"
    reference: str


class FeePaid(EventBase):
    type: Literal["fee.paid"] = "fee.paid"
    reference: str
    transaction_id: str
    amount: int


class FeeMismatched(EventBase):
    """A payment whose amount is not the fee due: refused (the fee stays unpaid) and parked
    for an operator (``motcua payments mismatched``), who settles it with the platform."""

    type: Literal["fee.mismatched"] = "fee.mismatched"
    reference: str
    transaction_id: str
    amount_due: int
    amount_paid: int
    currency: str = "VND"


class FeeDuplicate(EventBase):
    type: Literal["fee.duplicate"] = "fee.duplicate"
    reference: str
    transaction_id: str


class FeeRefunded(EventBase):
    type: Literal["fee.refunded"] = "fee.refunded"
    reference: str
    transaction_id: str
    amount: int
    refund_id: str
    reason: str = Field(description="the engine's fixed words, e.g. 'duplicate payment'")
