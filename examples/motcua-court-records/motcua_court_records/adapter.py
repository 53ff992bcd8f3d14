"""The adapter: motcua's Consultation protocol on top of the court's own record-checks API.

motcua asks every consulted agency the same two things (:mod:`adapters.consultation`): *take this
question* (``send``) and *have you answered?* (``reply``). The court's system knows nothing of
that; it has its own API, which this module translates to and from:

====================================  ==================================================
motcua                                court API (``/api/v2``)
====================================  ==================================================
``send(ConsultationRequest)``         ``POST /record-checks`` ``{caseRef, courtCode,
                                      citizenId, question}`` → ``{checkId, caseRef,
                                      receivedAt}``; the same caseRef returns the same
                                      checkId, which makes ``send`` idempotent for free
``reply(reference)``                  ``GET /record-checks/{caseRef}`` → ``{status,
                                      finding, judgmentSummary, clerk, closedAt, ...}``
``reference`` / ``ticket_id``         ``caseRef`` / ``checkId``
``state`` pending / answered          ``status`` OPEN / CLOSED
reply ``agree``                       ``finding`` NO_RECORD
reply ``object``, comment             ``finding`` RECORD_FOUND, ``judgmentSummary``
reply ``officer`` / ``replied_at``    ``clerk`` / ``closedAt``
====================================  ==================================================

Errors need no code here: :class:`~adapters.http.HttpBackend` maps timeouts, 5xx, 401 and
unreadable answers onto the taxonomy of :mod:`adapters.errors`, and the court's 404 carries a
``{"code": ...}`` body, so an unknown caseRef becomes ``NotFound``. What this module adds is
strict parsing: any answer that does not match the models below (a new ``finding`` value, a
CLOSED check without a finding) raises ``Misconfigured`` and alerts an operator, rather than
guessing an answer about a citizen's criminal record.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal, Self
from urllib.parse import quote

from adapters.consultation import (
    ConsultationReply,
    ConsultationRequest,
    ConsultationState,
    ConsultationTicket,
)
from adapters.errors import Rejected
from adapters.http import HttpBackend, HttpOptions
from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic.alias_generators import to_camel

SYSTEM = "court-records"  # prefixes every error message, e.g. "court-records: ... (HTTP 503)"
NO_RECORD_COMMENT = "Không có án tích / no criminal record on file"


class CourtRecordsOptions(HttpOptions):
    """The adapter's settings in ``adapters.yaml``: ``base_url``, ``timeout_seconds``,
    ``token_env``... from :class:`HttpOptions`, plus the court this worker asks."""

    court_code: str = Field(
        default="TAND-HN",
        min_length=1,
        description="The court's code in its own system, sent with every check (courtCode)",
    )


class _CourtModel(BaseModel):
    """The court speaks camelCase; our fields are snake_case and read its names as aliases."""

    model_config = ConfigDict(alias_generator=to_camel, frozen=True)


class CheckReceipt(_CourtModel):
    """The court's answer to ``POST /api/v2/record-checks``."""

    check_id: str = Field(min_length=1)
    case_ref: str
    received_at: datetime


class RecordCheck(_CourtModel):
    """The court's answer to ``GET /api/v2/record-checks/{caseRef}``."""

    case_ref: str
    check_id: str = Field(min_length=1)
    status: Literal["OPEN", "CLOSED"]
    finding: Literal["NO_RECORD", "RECORD_FOUND"] | None
    judgment_summary: str | None
    clerk: str | None
    closed_at: datetime | None

    @model_validator(mode="after")
    def _closed_checks_say_what_was_found(self) -> Self:
        # Raised inside validation, so HttpBackend reports it as Misconfigured like any other
        # answer it cannot read.
        if self.status == "CLOSED" and (self.finding is None or self.closed_at is None):
            raise ValueError("a CLOSED check must carry a finding and closedAt")
        return self


class CourtRecordsAdapter:
    """A :class:`~adapters.consultation.Consultation` backed by the court's record-checks API.

    It holds one HTTP connection pool; the worker calls :meth:`aclose` on shutdown. It never
    retries: a failure is raised as an :class:`~adapters.errors.AdapterError` and Temporal
    retries the activity according to the error's kind.
    """

    def __init__(self, options: CourtRecordsOptions) -> None:
        self._court_code = options.court_code
        self._backend = HttpBackend(options, system=SYSTEM)

    async def send(self, request: ConsultationRequest) -> ConsultationTicket:
        """File a record check for ``request.personal_id``; repeating it returns the same ticket.

        Only the fields the court's API has are sent: the dossier code, the asking agency and the
        facts have no place in it, and the caseRef alone ties the check back to the dossier.

        Raises:
            Rejected: The request names no person: there is nothing the court could check.
        """
        if not request.personal_id:
            raise Rejected(f"{SYSTEM}: a record check needs the citizen's personal_id")
        body = {
            "caseRef": request.reference,
            "courtCode": self._court_code,
            "citizenId": request.personal_id,
            "question": request.question,
        }
        receipt = await self._backend.request(
            "POST", "/api/v2/record-checks", CheckReceipt, json=body
        )
        return ConsultationTicket(
            reference=request.reference,
            ticket_id=receipt.check_id,
            received_at=receipt.received_at,
        )

    async def reply(self, reference: str) -> ConsultationState:
        """Whether the court has closed the check, and what it found.

        Raises:
            NotFound: The court has no check with that caseRef.
        """
        # References may contain "/" (dossier/step/branch): keep them one path segment.
        path = f"/api/v2/record-checks/{quote(reference, safe='')}"
        check = await self._backend.request("GET", path, RecordCheck)
        return ConsultationState(
            reference=reference,
            ticket_id=check.check_id,
            state="pending" if check.status == "OPEN" else "answered",
            reply=_reply(check),
        )

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._backend.aclose()


def _reply(check: RecordCheck) -> ConsultationReply | None:
    """The court's finding as a consultation reply; None while the check is open."""
    if check.status == "OPEN":
        return None
    assert check.closed_at is not None  # guaranteed by RecordCheck's validator
    if check.finding == "RECORD_FOUND":
        # The judgment summary is what the officer deciding the dossier needs to read.
        comment = check.judgment_summary or "Có án tích / criminal record on file"
        return ConsultationReply(
            outcome="object", comment=comment, officer=check.clerk, replied_at=check.closed_at
        )
    return ConsultationReply(
        outcome="agree", comment=NO_RECORD_COMMENT, officer=check.clerk, replied_at=check.closed_at
    )
