"""Status sync with the national public service portal, where citizens track their dossiers.

Wire protocol of the reference HTTP adapter:

- ``PUT /v1/dossiers/{dossier_code}/status`` (:class:`PortalStatus`) → :class:`PortalAck`; an
  update no newer than the one the portal holds (``seq`` ≤ held) is acknowledged with
  ``applied=false`` and not stored, so a retried push is harmless. A path code that differs
  from the body's is 422.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field


class PortalStatus(BaseModel):
    model_config = ConfigDict(frozen=True)

    dossier_code: str
    procedure_code: str
    agency_code: str
    seq: int = Field(ge=1, description="The dossier's event sequence: later updates win")
    status: str
    changed_at: datetime
    due_at: datetime | None = None
    waiting_for: str | None = None


class PortalAck(BaseModel):
    model_config = ConfigDict(frozen=True)

    dossier_code: str
    seq: int  # the pushed one
    applied: bool  # false when the portal already holds this update or a later one


class PortalSync(Protocol):
    async def push_status(self, status: PortalStatus) -> PortalAck:
        """Publish a dossier's status; pushing the same or an older ``seq`` again is harmless."""
        ...
