"""The read-model tables: the workflow event log, its projections and the code allocations.

Only activities write these tables (through `project` and `allocate_dossier_code`); the API and
the analysis read them. The projections (dossiers, tasks and their counts, payments, evidence,
results) can be rebuilt from the events alone (`rebuild_projections`); the allocations cannot,
and are kept.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from motcua.dossier import EVENT_ADAPTER, Event, event_fields
from motcua.store._base import Base


class DossierRow(Base):
    """One dossier's status: the fold of its events (`DossierView`), one row per dossier.

    The columns are the view's `snapshot()`; ``view`` holds the fold itself, so the next batch
    of events continues it without reading the log again.
    """

    __tablename__ = "dossiers"
    __table_args__ = (Index(None, "agency", "status"),)

    dossier_code: Mapped[str] = mapped_column(primary_key=True)
    workflow_id: Mapped[str] = mapped_column(unique=True)
    submission_id: Mapped[str | None] = mapped_column(unique=True)
    procedure_code: Mapped[str] = mapped_column(index=True)
    procedure_version: Mapped[int]
    agency: Mapped[str]
    channel: Mapped[str]
    applicant_id: Mapped[str | None] = mapped_column(
        index=True, comment="the citizen's personal ID: a citizen sees only their dossiers"
    )
    status: Mapped[str]
    current_step: Mapped[str | None]
    waiting_for: Mapped[str | None]
    received_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    due_at: Mapped[datetime | None] = mapped_column(index=True)
    original_due_at: Mapped[datetime | None]
    extended: Mapped[bool] = mapped_column(default=False)
    clock_stopped: Mapped[bool] = mapped_column(default=False)
    supplement_requests: Mapped[int] = mapped_column(default=0)
    missing_documents: Mapped[list[str]] = mapped_column(default=list)
    fee_amount: Mapped[int | None] = mapped_column(BigInteger)
    paid: Mapped[bool] = mapped_column(default=False)
    refunded: Mapped[bool] = mapped_column(default=False)
    result_code: Mapped[str | None]
    timeliness: Mapped[str | None]
    rating: Mapped[int | None]
    bundle_id: Mapped[str | None] = mapped_column(index=True)
    last_seq: Mapped[int] = mapped_column(comment="seq of the newest event the snapshot reflects")
    updated_at: Mapped[datetime]  # that event's occurred_at, so a rebuild writes the same row
    # Deferred: only the projector reads the fold; API reads of rows need its columns only.
    view: Mapped[dict[str, Any] | None] = mapped_column(
        JSON, deferred=True, comment="DossierView as JSON; null: fold again from the log"
    )


class EventRow(Base):
    """One row of the append-only event log (`motcua.dossier.Event`); never updated."""

    __tablename__ = "events"
    __table_args__ = (UniqueConstraint("workflow_id", "seq"),)

    event_id: Mapped[str] = mapped_column(primary_key=True)
    workflow_id: Mapped[str]
    seq: Mapped[int]
    dossier_code: Mapped[str] = mapped_column(index=True)
    procedure_code: Mapped[str]
    procedure_version: Mapped[int]
    agency: Mapped[str]
    step_id: Mapped[str | None]
    step_kind: Mapped[str | None]
    type: Mapped[str] = mapped_column(index=True)
    occurred_at: Mapped[datetime] = mapped_column(index=True)
    actor_id: Mapped[str]
    actor_role: Mapped[str | None]
    handed_from: Mapped[str | None]
    handed_to: Mapped[str | None]
    outcome: Mapped[str | None]
    channel: Mapped[str | None]
    due_at: Mapped[datetime | None]
    timeliness: Mapped[str | None]
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    chain_hash: Mapped[str | None] = mapped_column(
        comment="SHA-256 over the previous event's chain hash and this event (motcua audit)"
    )

    def to_event(self) -> Event:
        """Return the row as its typed event (the model of its ``type``)."""
        columns = {c.key: getattr(self, c.key) for c in self.__mapper__.column_attrs}
        return EVENT_ADAPTER.validate_python(event_fields(columns))


class TaskRow(Base):
    """An officer's task (inbox entry), from the `task.*` events."""

    __tablename__ = "tasks"

    task_id: Mapped[str] = mapped_column(primary_key=True)
    dossier_code: Mapped[str] = mapped_column(index=True)
    workflow_id: Mapped[str]
    step_id: Mapped[str | None]
    branch_id: Mapped[str | None]
    role: Mapped[str]
    agency: Mapped[str]
    outcomes: Mapped[list[str]] = mapped_column(default=list)
    status: Mapped[str] = mapped_column(comment="open / claimed / decided / cancelled")
    created_at: Mapped[datetime]
    due_at: Mapped[datetime | None]
    claimed_by: Mapped[str | None]
    claimed_at: Mapped[datetime | None]
    decided_by: Mapped[str | None]
    decided_at: Mapped[datetime | None]
    outcome: Mapped[str | None]


# The inbox, in its order (`motcua.store.inbox_page`): within one agency, role and status, the
# earliest due first and the undated last. A page then reads its rows off the index, however
# many tasks are open; the count of an officer's tasks reads the index alone.
INBOX_ORDER = (TaskRow.due_at.is_(None), TaskRow.due_at, TaskRow.created_at, TaskRow.task_id)
Index("ix_tasks_inbox", TaskRow.agency, TaskRow.role, TaskRow.status, *INBOX_ORDER)


class TaskCountRow(Base):
    """How many tasks an (agency, role, status) has: the inbox's total without counting its
    tasks. Kept by the projector with the tasks it counts (`motcua.store._task_counts`)."""

    __tablename__ = "task_counts"

    agency: Mapped[str] = mapped_column(primary_key=True)
    role: Mapped[str] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(primary_key=True)
    tasks: Mapped[int]


class PaymentRow(Base):
    """A fee payment, keyed by the payment reference, from the `fee.*` events."""

    __tablename__ = "payments"

    reference: Mapped[str] = mapped_column(primary_key=True)
    dossier_code: Mapped[str] = mapped_column(index=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str]
    status: Mapped[str] = mapped_column(comment="requested / paid / refunded / lapsed")
    requested_at: Mapped[datetime | None]
    paid_at: Mapped[datetime | None]
    transaction_id: Mapped[str | None]
    refunded_at: Mapped[datetime | None]


class EvidenceRow(Base):
    """The stored answer of a database verification (Project 06): hashes, never raw data."""

    __tablename__ = "evidence"

    evidence_id: Mapped[str] = mapped_column(primary_key=True)
    dossier_code: Mapped[str] = mapped_column(index=True)
    source: Mapped[str]
    checks: Mapped[Any] = mapped_column(JSON)
    query_hash: Mapped[str | None]
    response_hash: Mapped[str | None]
    verified_at: Mapped[datetime]
    ok: Mapped[bool]


class ResultRow(Base):
    """An issued result document and the channels it was delivered to."""

    __tablename__ = "results"

    result_id: Mapped[str] = mapped_column(primary_key=True)
    dossier_code: Mapped[str] = mapped_column(index=True)
    result_type: Mapped[str]
    issued_at: Mapped[datetime]
    delivered_to: Mapped[list[str]] = mapped_column(default=list)
    document_hash: Mapped[str | None]


class DossierCodeRow(Base):
    """An allocated dossier code: agency code + receipt day + daily sequence.

    An allocation record, not a projection: a rebuild keeps it. It holds what no event may
    carry, the applicant's personal ID, from which the dossier row's ``applicant_id`` is filled.
    """

    __tablename__ = "dossier_codes"
    __table_args__ = (UniqueConstraint("agency_code", "day", "seq"),)

    submission_id: Mapped[str] = mapped_column(primary_key=True)
    agency_code: Mapped[str]
    day: Mapped[date]
    seq: Mapped[int]
    code: Mapped[str] = mapped_column(unique=True)
    applicant_id: Mapped[str | None] = mapped_column(comment="the citizen's personal ID")
    workflow_id: Mapped[str | None] = mapped_column(index=True)
    bundle_id: Mapped[str | None]
