"""What the workflows may ask of activities: each activity's name, input and output.

Workflow modules import this module and nothing else from ``activities``, so the workflow sandbox
never loads SQLAlchemy, httpx or prometheus. The implementations register under the same names
(``@activity.defn(name=...)`` in the sibling modules).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from adapters.consultation import ConsultationReply, ConsultationRequest, ConsultationTicket
from adapters.delivery import DeliveryReceipt, DeliveryRequest
from adapters.notification import Notice, NoticeReceipt
from adapters.payment import (
    PaymentOrder,
    PaymentRequest,
    PaymentState,
    RefundReceipt,
    RefundRequest,
)
from motcua.calendar import CalendarSnapshot, DossierClock, WorkCalendar
from motcua.definitions import WorkSpan
from motcua.dossier import Event, VerifiedFacts

In = TypeVar("In")
Out = TypeVar("Out")


@dataclass(frozen=True)
class ActivityRef(Generic[In, Out]):
    """An activity as a workflow calls it: by name, with its output type for decoding."""

    name: str
    output: type[Out]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


# --------------------------------------------------------------------- local: the store


class Opening(_Model):
    """A new dossier's code, and the working calendar it computes its due dates on."""

    code: str
    calendar: CalendarSnapshot


class CodeRequest(_Model):
    """A dossier code for a submission, and the allocation record: who it is for (the personal
    ID never enters an event), which workflow runs it, which bundle it belongs to."""

    submission_id: str
    agency_code: str
    received_at: datetime
    workflow_id: str | None = None
    applicant_id: str | None = Field(default=None, description="kept with the code, never logged")
    bundle_id: str | None = None
    calendar_received_at: datetime | None = Field(
        default=None,
        description="the receipt in calendar time (the demo's fast clock), which the calendar's "
        "window is around; None: ``received_at``",
    )


class ProjectionInput(_Model):
    """Events to log; the dossier row is their fold, so nothing else is sent (a rebuild from the
    log could not know it). ``notices``: what these events announce, sent once they are logged."""

    events: list[Event]
    notices: list[Notice] = Field(default_factory=list)


class ProjectionReceipt(_Model):
    """What a projection wrote: how many events were new, and each event's chain hash as the
    log holds it (the first written, when a retry or a replay sends the event again). The
    receipt is recorded in the workflow's history, so a replay takes the hashes from it rather
    than from events it records again (docs/security/audit.md)."""

    inserted: int
    chain: dict[str, str] = Field(default_factory=dict, description="event id → chain hash")
    unsent: list[str] = Field(
        default_factory=list, description="keys of the notices that failed: retry them apart"
    )

    @model_validator(mode="before")
    @classmethod
    def _from_count(cls, value: object) -> object:
        # Histories recorded before the receipt (and test doubles) answered a bare count.
        return {"inserted": value} if isinstance(value, int) else value


# ------------------------------------------------------------------ local: the calendar


class DueRequest(_Model):
    start: datetime
    span: WorkSpan
    cutoff: bool = True  # apply the 15:00 cut-off to ``start`` (a receipt), or count from it as is
    warn_working_days: float = 1.0
    time_scale: float = 1.0
    clock_epoch: datetime | None = None

    @property
    def clock(self) -> DossierClock:
        """The demo clock: calendar time runs ``time_scale`` times faster than real time from
        ``clock_epoch`` (1: the identity)."""
        return DossierClock(self.time_scale, self.clock_epoch or self.start)

    def calendar_day(self, instant: datetime, cal: WorkCalendar) -> date:
        """The local day of ``instant`` (workflow time) on the calendar, in calendar time. All
        the arithmetic of :meth:`answer` reads lies between the start's day and the due's (a
        warning that would fall before the start is replaced by the half-way instant, whatever
        the days before hold)."""
        return self.clock.virtual(instant).astimezone(cal.tz).date()

    def answer(self, cal: WorkCalendar) -> DueAnswer:
        """The due and warning instants on ``cal``, on the demo clock (:attr:`clock`)."""
        clock = self.clock
        span, start = self.span, clock.virtual(self.start)
        if self.cutoff:
            due = cal.due(start, span)
        elif span.same_day:
            due = cal.end_of_working_day(cal.clock_start(start).astimezone(cal.tz).date())
        else:
            due = cal.add_working_hours(start, span.hours)
        warn = cal.subtract_working_days(due, self.warn_working_days)
        if warn <= start:
            # A same-day deadline leaves no working day to warn in: warn half way instead.
            warn = start + (due - start) / 2
        return DueAnswer(due_at=clock.real(due), warn_at=clock.real(warn))


class CalendarWanted(_Model):
    """What a dossier asks the worker's calendar for: ``held``, the version it had (for the
    log), and the first and last local day, in calendar time, it must hold (None: the whole
    calendar)."""

    held: str = ""
    first: date | None = None
    last: date | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_version(cls, value: object) -> object:
        # The calendar handover asked with the held version alone.
        return {"held": value} if isinstance(value, str) else value


class DueAnswer(_Model):
    due_at: datetime
    warn_at: datetime  # ``warn_working_days`` before the due instant (apology, "early"),
    # or half way to it when the span is shorter than that


# ----------------------------------------------------------------- adapters and results


class VerifyInput(_Model):
    dossier_code: str
    personal_id: str
    checks: list[str]
    adapter: str = "population"


class VerificationOutcome(_Model):
    """What the workflow and the evidence table keep: keyed hashes, never the answer itself
    (nor the database's words about it: ``failed_checks`` says what did not match)."""

    ok: bool
    failed_checks: list[str] = Field(default_factory=list)
    evidence_id: str
    source: str
    query_hash: str
    response_hash: str | None = None
    facts: VerifiedFacts | None = Field(
        default=None, description="the record's birth date and categories, for fee exemptions"
    )


class FeeRequest(_Model):
    """A dossier's fee to open at the payment platform, valid for ``valid_for`` from when the
    platform accepts it (not from when the workflow asked: the call may retry through an outage).
    """

    reference: str = Field(min_length=1, max_length=128)
    amount: int = Field(gt=0)
    currency: str = "VND"
    description: str
    payer_id: str | None = Field(default=None, description="Payer's personal ID, if known")
    valid_for: timedelta = Field(gt=timedelta(0))

    def at(self, now: datetime) -> PaymentRequest:
        """The platform request of a call made at ``now``: it expires ``valid_for`` later."""
        return PaymentRequest(
            reference=self.reference,
            amount=self.amount,
            currency=self.currency,
            description=self.description,
            expires_at=now + self.valid_for,
            payer_id=self.payer_id,
        )


class IssueRequest(_Model):
    dossier_code: str
    personal_id: str
    result_type: str
    result_type_code: str


class IssuedResult(_Model):
    result_id: str
    result_code: str  # Art. 22 (personal ID + result-type code), then "-" + the dossier code
    document_hash: str


class ReplyComment(_Model):
    """A polled consultation reply's text, stored apart from the event log; idempotent by id."""

    comment_id: str
    dossier_code: str
    text: str
    author_id: str | None = None
    agency: str


class ReplyPoll(_Model):
    reference: str
    first_poll_seconds: float = Field(default=1, gt=0)
    max_poll_seconds: float = Field(default=600, gt=0, description="Between two looks, at most")

    def delay_after(self, attempt: int) -> timedelta:
        """Look again soon at first, then less and less often: replies take minutes or days."""
        seconds = self.first_poll_seconds * 2 ** min(attempt - 1, 30)
        return timedelta(seconds=min(seconds, self.max_poll_seconds))


OPEN_DOSSIER = ActivityRef[CodeRequest, Opening]("motcua.open_dossier", Opening)
PROJECT = ActivityRef[ProjectionInput, ProjectionReceipt]("motcua.project", ProjectionReceipt)
COMPUTE_DUE = ActivityRef[DueRequest, DueAnswer]("motcua.compute_due", DueAnswer)
# The worker's calendar, for a dossier that holds another version or not the days it needs.
WORKING_CALENDAR = ActivityRef[CalendarWanted, CalendarSnapshot](
    "motcua.working_calendar", CalendarSnapshot
)
NOTIFY = ActivityRef[Notice, NoticeReceipt]("motcua.notify", NoticeReceipt)
ISSUE_RESULT = ActivityRef[IssueRequest, IssuedResult]("motcua.issue_result", IssuedResult)
VERIFY = ActivityRef[VerifyInput, VerificationOutcome](
    "motcua.verify_applicant", VerificationOutcome
)
REQUEST_PAYMENT = ActivityRef[FeeRequest, PaymentOrder]("motcua.request_payment", PaymentOrder)
PAYMENT_STATUS = ActivityRef[str, PaymentState]("motcua.payment_status", PaymentState)
REFUND = ActivityRef[RefundRequest, RefundReceipt]("motcua.refund_payment", RefundReceipt)
SEND_CONSULTATION = ActivityRef[ConsultationRequest, ConsultationTicket](
    "motcua.send_consultation", ConsultationTicket
)
COLLECT_REPLY = ActivityRef[ReplyPoll, ConsultationReply](
    "motcua.collect_consultation_reply", ConsultationReply
)
SAVE_REPLY_COMMENT = ActivityRef[ReplyComment, str]("motcua.save_reply_comment", str)
DELIVER_RESULT = ActivityRef[DeliveryRequest, DeliveryReceipt](
    "motcua.deliver_result", DeliveryReceipt
)
