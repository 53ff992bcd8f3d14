"""Tables the API owns (not projections of the event log): uploaded documents and the dossiers
they were filed with, submission
idempotency keys, callback nonces, and the outbox with its webhook subscriptions and deliveries.

The outbox is written by the projector in the same transaction as the events it announces, so
an event is in the outbox if and only if it is in the log.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Index, Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from motcua.store._base import Base

# BIGINT on PostgreSQL, INTEGER (the rowid alias, so it autoincrements) on SQLite.
AutoId = BigInteger().with_variant(Integer(), "sqlite")


class UploadedDocumentRow(Base):
    """A file a citizen uploaded; the content is stored once per SHA-256, owned per uploader."""

    __tablename__ = "uploaded_documents"

    sha256: Mapped[str] = mapped_column(primary_key=True)
    owner_id: Mapped[str] = mapped_column(primary_key=True, comment="uploader's personal ID")
    size: Mapped[int] = mapped_column(BigInteger)
    media_type: Mapped[str]
    file_name: Mapped[str | None]
    uploaded_at: Mapped[datetime]


class DossierDocumentRow(Base):
    """A file a dossier was filed or supplemented with: a dossier's documents download only from
    among these. ``workflow_id`` is the filing's (a bundle's, for all its members)."""

    __tablename__ = "dossier_documents"

    workflow_id: Mapped[str] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(primary_key=True)


class SubmissionKeyRow(Base):
    """An ``Idempotency-Key`` a caller used, with the request it named and the dossier it made."""

    __tablename__ = "submission_keys"

    owner_id: Mapped[str] = mapped_column(primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(primary_key=True)
    request_hash: Mapped[str] = mapped_column(comment="SHA-256 of the canonical request body")
    workflow_id: Mapped[str]
    created_at: Mapped[datetime]


class CallbackNonceRow(Base):
    """A signed callback's nonce, kept so that a replayed callback is refused."""

    __tablename__ = "callback_nonces"

    source: Mapped[str] = mapped_column(primary_key=True)
    nonce: Mapped[str] = mapped_column(primary_key=True)
    received_at: Mapped[datetime] = mapped_column(index=True)


class OutboxRow(Base):
    """One event to announce, in projection order (``id`` grows with each dossier's seq)."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(AutoId, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(unique=True)
    workflow_id: Mapped[str]
    dossier_code: Mapped[str]
    seq: Mapped[int]
    type: Mapped[str]
    agency: Mapped[str]
    procedure_code: Mapped[str]
    created_at: Mapped[datetime]


class SubscriptionRow(Base):
    """Where events go: a portal's webhook, or the national portal's status sync adapter."""

    __tablename__ = "subscriptions"

    id: Mapped[str] = mapped_column(primary_key=True)
    owner_id: Mapped[str] = mapped_column(index=True, comment="the service that subscribed")
    target: Mapped[str] = mapped_column(comment="webhook / portal")
    url: Mapped[str | None]
    secret: Mapped[str | None] = mapped_column(comment="HMAC key of the signed deliveries")
    event_types: Mapped[list[str]] = mapped_column(JSON, default=list, comment="[]: all")
    agencies: Mapped[list[str]] = mapped_column(JSON, default=list, comment="[]: all")
    active: Mapped[bool] = mapped_column(default=True)
    cursor: Mapped[int] = mapped_column(BigInteger, default=0, comment="last outbox id fanned out")
    created_at: Mapped[datetime]


class DeliveryRow(Base):
    """One event for one subscription; a dossier's deliveries go out one at a time, in order."""

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("subscription_id", "outbox_id"),
        Index(None, "status", "next_attempt_at"),
        Index(None, "subscription_id", "dossier_code", "outbox_id"),
    )

    id: Mapped[int] = mapped_column(AutoId, primary_key=True, autoincrement=True)
    subscription_id: Mapped[str]
    outbox_id: Mapped[int] = mapped_column(BigInteger)
    dossier_code: Mapped[str]
    status: Mapped[str] = mapped_column(comment="pending / delivered / parked")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime]
    last_error: Mapped[str | None]
    delivered_at: Mapped[datetime | None]
