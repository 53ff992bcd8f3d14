"""Builders of events and status snapshots for the read-model tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from motcua.dossier import DossierStatus, Event, event_id

T0 = datetime(2026, 1, 15, 2, 0, tzinfo=UTC)


class Dossier:
    """One dossier's workflow: hands out events with consecutive sequence numbers."""

    def __init__(
        self,
        code: str,
        *,
        procedure_code: str = "1.004222",
        agency: str = "commune-police",
        channel: str = "online",
    ) -> None:
        self.code = code
        self.workflow_id = f"dossier-{code}"
        self.procedure_code = procedure_code
        self.agency = agency
        self.channel = channel
        self.seq = 0

    def event(self, type_: str, *, minutes: float | None = None, **fields: Any) -> Event:
        self.seq += 1
        offset = timedelta(minutes=self.seq if minutes is None else minutes)
        return Event(
            event_id=event_id(self.workflow_id, self.seq),
            workflow_id=self.workflow_id,
            seq=self.seq,
            type=type_,
            dossier_code=self.code,
            procedure_code=self.procedure_code,
            procedure_version=3,
            agency=self.agency,
            occurred_at=T0 + offset,
            **fields,
        )

    def status(self, status: str = "in_review", **fields: Any) -> DossierStatus:
        return DossierStatus.model_validate(
            {
                "dossier_code": self.code,
                "workflow_id": self.workflow_id,
                "procedure_code": self.procedure_code,
                "procedure_version": 3,
                "agency": self.agency,
                "channel": self.channel,
                "status": status,
                "received_at": T0,
                **fields,
            }
        )
