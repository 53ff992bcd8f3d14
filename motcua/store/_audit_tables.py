"""The audit anchors: one row per day, the Merkle root over that day's chain heads.

An anchor is not a dossier's event (no workflow records it, it has no seq), so it lives in a
table of its own beside the log rather than in it; like the log it is only ever inserted.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON
from sqlalchemy.orm import Mapped, mapped_column

from motcua.store._base import Base


class AnchorRow(Base):
    """A day's anchor and the timestamping authority's receipt for it."""

    __tablename__ = "audit_anchors"

    day: Mapped[date] = mapped_column(primary_key=True, comment="UTC day whose events it covers")
    root: Mapped[str] = mapped_column(comment="Merkle root (SHA-256 hex) over the leaves")
    leaves: Mapped[list[Any]] = mapped_column(
        JSON, comment="[workflow id, seq, chain hash] of each dossier's last event that day"
    )
    made_at: Mapped[datetime]
    receipt: Mapped[dict[str, Any] | None] = mapped_column(
        JSON, comment="the timestamping authority's signed receipt; null: not stamped"
    )
