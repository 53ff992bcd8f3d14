"""Request and response bodies of the portal side: dossiers, their timeline, uploads.

Declared as pydantic models so the OpenAPI document says exactly what a portal sends and gets.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from motcua.dossier import Applicant, DossierStatusName, Event, Timeliness
from motcua.services import shown_actor, timeline_of
from motcua.store import DossierRow

Sha256 = Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 (hex) of an uploaded document")


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DocumentRef(_Body):
    """A document of the procedure's list, given by the digest of a file this citizen uploaded."""

    id: str = Field(min_length=1, max_length=64, description="Document id from the procedure")
    sha256: str = Sha256


# Bounds of what a citizen types: generous for any real form, small enough that no field can
# carry a payload that fills the event history, the read model or an officer's screen.
FORM_MAX_FIELDS = 100
FORM_MAX_DEPTH = 4
FORM_MAX_TEXT = 2000
FORM_MAX_ITEMS = 100
_KEY_MAX = 64


def _bounded(value: Any, where: str, depth: int) -> None:
    if isinstance(value, list | dict) and depth > FORM_MAX_DEPTH:
        raise ValueError(f"{where}: nested deeper than {FORM_MAX_DEPTH} levels")
    if isinstance(value, str) and len(value) > FORM_MAX_TEXT:
        raise ValueError(f"{where}: longer than {FORM_MAX_TEXT} characters")
    if isinstance(value, list):
        if len(value) > FORM_MAX_ITEMS:
            raise ValueError(f"{where}: more than {FORM_MAX_ITEMS} items")
        for index, item in enumerate(value):
            _bounded(item, f"{where}[{index}]", depth + 1)
    if isinstance(value, dict):
        if len(value) > FORM_MAX_FIELDS:
            raise ValueError(f"{where}: more than {FORM_MAX_FIELDS} fields")
        for key, item in value.items():
            if len(key) > _KEY_MAX:
                raise ValueError(f"{where}: a field name is longer than {_KEY_MAX} characters")
            _bounded(item, f"{where}.{key}", depth + 1)


def _bounded_form(form: dict[str, Any]) -> dict[str, Any]:
    _bounded(form, "form", 1)
    return form


BoundedForm = Annotated[dict[str, Any], AfterValidator(_bounded_form)]
"""The procedure's form fields: at most ``FORM_MAX_FIELDS`` per level, ``FORM_MAX_DEPTH``
levels, ``FORM_MAX_ITEMS`` items per list and ``FORM_MAX_TEXT`` characters per text."""
Category = Annotated[str, Field(min_length=1, max_length=_KEY_MAX)]


class ApplicantBody(Applicant):
    """The applicant as a portal sends it: the engine's :class:`Applicant`, bounded."""

    full_name: str = Field(min_length=1, max_length=200)
    birth_date: date | None = None
    phone: str | None = Field(default=None, max_length=32)
    email: str | None = Field(default=None, max_length=254)
    address: str | None = Field(
        default=None, max_length=500, description="Where the post delivers a result"
    )
    categories: list[Category] = Field(
        default_factory=list, max_length=20, description="e.g. student, poor_household, disabled"
    )


class SubmissionBody(_Body):
    """What a portal files for a citizen; the same ``Idempotency-Key`` and body is one dossier."""

    procedure: str = Field(min_length=1, max_length=64, description="Procedure or bundle code")
    version: int | None = Field(
        default=None,
        ge=1,
        description="The version in force today when absent; if given, it must be that one",
    )
    channel: Literal["online"] = Field(default="online", description="Citizens file online")
    applicant: ApplicantBody
    form: BoundedForm = Field(default_factory=dict)
    documents: list[DocumentRef] = Field(default_factory=list, max_length=100)


class SupplementBody(_Body):
    documents: list[DocumentRef] = Field(min_length=1, max_length=100)


class WithdrawalBody(_Body):
    reason: str | None = Field(
        default=None, max_length=2000, description="For you and the dossier's officers only"
    )


class RatingBody(_Body):
    score: int = Field(ge=1, le=5, description="1 = very dissatisfied … 5 = very satisfied")
    complaint: bool = False
    comment: str | None = Field(
        default=None, max_length=2000, description="For you and the dossier's officers only"
    )


class DossierSummary(BaseModel):
    """A dossier as a list shows it."""

    code: str = Field(description="Dossier code: agency code + receipt date + sequence")
    procedure_code: str
    procedure_version: int
    agency: str
    channel: str
    status: DossierStatusName
    current_step: str | None
    waiting_for: str | None = Field(description="Who or what the dossier waits for")
    received_at: datetime
    due_at: datetime | None
    bundle_id: str | None = Field(description="The interconnected application it belongs to")


class TimelineEntry(BaseModel):
    """One hand-off or state change, as the Processing Control Sheet records it."""

    seq: int
    occurred_at: datetime
    type: str
    step_id: str | None
    step_kind: str | None
    actor: str | None = Field(description="A role for citizens; the officer's id for officers")
    handed_from: str | None
    handed_to: str | None
    outcome: str | None
    timeliness: Timeliness | None
    due_at: datetime | None
    details: dict[str, Any] = Field(description="Small facts: missing documents, amount, …")
    comment: str | None = Field(
        default=None,
        description="What a person wrote with it (a decision's reasons, a withdrawal's, an "
        "agency's answer), when you may read it",
    )


class DossierDetail(DossierSummary):
    """A dossier with its deadlines, fee, result and timeline."""

    accepted_at: datetime | None
    original_due_at: datetime | None = Field(description="The due date before an extension")
    extended: bool
    clock_stopped: bool = Field(description="The deadline clock waits for a supplement")
    supplement_requests: int
    missing_documents: list[str]
    fee_amount: int | None
    paid: bool
    refunded: bool
    result_code: str | None
    timeliness: Timeliness | None
    rating: int | None
    timeline: list[TimelineEntry]
    tracking_url: str | None = Field(
        default=None,
        description="For its applicant: the tracking page, as the QR code on the slips opens it",
    )


class DossierPage(BaseModel):
    items: list[DossierSummary]
    limit: int
    offset: int
    next_offset: int | None = Field(description="Offset of the next page; null on the last")


class SubmissionView(BaseModel):
    """Where a submission stands: ``created`` with its dossier, or still ``pending``."""

    workflow_id: str
    state: Literal["created", "pending"]
    dossier: DossierDetail | None = Field(
        description="The dossier; for a bundle, its first member's dossier"
    )
    members: list[DossierSummary] = Field(
        default_factory=list, description="A bundle's member dossiers started so far"
    )


class UploadView(BaseModel):
    sha256: str
    size: int
    media_type: Literal["application/pdf", "image/jpeg", "image/png"]
    file_name: str | None


# The facts of an event's type a citizen is shown, by name; the agencies' own ids (tasks,
# tickets, evidence, transactions) and officers' roles stay with the officers.
_CITIZEN_FACTS = frozenset(
    {
        "missing_documents",
        "documents",
        "request_number",
        "reason_code",
        "amount",
        "currency",
        "reference",
        "expires_at",
        "result_type",
        "result_code",
        "original_due_at",
        "apology",
        "score",
        "complaint",
        "delivery",
        "tracking",
        "restarted",
    }
)


def summary_of(row: DossierRow) -> DossierSummary:
    return DossierSummary(
        code=row.dossier_code,
        procedure_code=row.procedure_code,
        procedure_version=row.procedure_version,
        agency=row.agency,
        channel=row.channel,
        status=row.status,  # the fold of the dossier's events
        current_step=row.current_step,
        waiting_for=row.waiting_for,
        received_at=row.received_at,
        due_at=row.due_at,
        bundle_id=row.bundle_id,
    )


def timeline_entry(
    event: Event, *, officer: bool, comments: Mapping[str, str | None] | None = None
) -> TimelineEntry:
    """An event as a timeline line: officers see who acted and every fact of the event's type;
    citizens the role that acted and the facts meant for them (``_CITIZEN_FACTS``). The text
    of the comment it cites is shown if it is among ``comments`` (those the caller may read)."""
    details = event.data
    comment_id = details.get("comment_id")
    comment = (comments or {}).get(comment_id) if isinstance(comment_id, str) else None
    if not officer:
        details = {k: v for k, v in details.items() if k in _CITIZEN_FACTS}
    return TimelineEntry(
        seq=event.seq,
        occurred_at=event.occurred_at,
        type=event.type,
        step_id=event.step_id,
        step_kind=event.step_kind,
        actor=shown_actor(event, officer=officer),
        handed_from=event.handed_from,
        handed_to=event.handed_to,
        outcome=event.outcome,
        timeliness=event.timeliness,
        due_at=event.due_at,
        details=details,
        comment=comment,
    )


def detail_of(session: Session, row: DossierRow, *, officer: bool) -> DossierDetail:
    """The dossier with its timeline from the event log, for an officer or for a citizen."""
    view = timeline_of(session, row, officer=officer)
    comments = view.comments
    return DossierDetail(
        **summary_of(row).model_dump(),
        accepted_at=row.accepted_at,
        original_due_at=row.original_due_at,
        extended=row.extended,
        clock_stopped=row.clock_stopped,
        supplement_requests=row.supplement_requests,
        missing_documents=list(row.missing_documents or []),
        fee_amount=row.fee_amount,
        paid=row.paid,
        refunded=row.refunded,
        result_code=row.result_code,
        timeliness=row.timeliness,
        rating=row.rating,
        timeline=[timeline_entry(e, officer=officer, comments=comments) for e in view.events],
    )
