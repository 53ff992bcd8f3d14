"""National-portal status sync: push a dossier's snapshot through the portal adapter.

One push settles a whole line: the head and every later pending delivery of the dossier are
carried by the dossier's current snapshot (status, due date, what it waits for), labelled with
the newest of their seqs. The portal keeps the highest seq, so a repeated push (a retry whose
acknowledgement was lost) changes nothing, and the snapshot only ever moves forward: a newer
snapshot always comes with a newer event, hence a later push.

Adapter errors map onto the outbox's retry rule: ``Transient`` and ``Misconfigured`` are retried
with backoff (a misconfiguration also logs an ERROR for the operator); ``Rejected``,
``NotFound`` and unknown errors park the line at once, since repeating the same push cannot
change the answer.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import structlog
from sqlalchemy.orm import Session, sessionmaker

from adapters import AdapterError, Adapters, AdaptersConfig, Misconfigured, PortalSync
from adapters.portal import PortalStatus
from motcua.outbox._claims import Claim, Outcome
from motcua.store import DossierRow

log = structlog.get_logger("motcua.outbox")


def agency_code(dossier_code: str) -> str:
    """The competent agency's code: the dossier code minus ``-YYMMDD-NNNN``."""
    parts = dossier_code.rsplit("-", 2)
    return parts[0] if len(parts) == 3 else dossier_code


class PortalPusher:
    """Builds portal adapters lazily (per agency that configures its own, else the national one)
    and pushes snapshots through them."""

    def __init__(
        self,
        config: AdaptersConfig,
        sessions: sessionmaker[Session],
        *,
        build: Callable[[str | None], Adapters] | None = None,
    ) -> None:
        self._config = config
        self._sessions = sessions
        self._build = build or config.build
        self._built: dict[str | None, Adapters] = {}

    def _portal(self, agency: str) -> PortalSync:
        own = self._config.agencies.get(agency)
        key = agency if own is not None and own.portal is not None else None
        if key not in self._built:
            self._built[key] = self._build(key)
        return self._built[key].portal

    def _snapshot(self, code: str) -> DossierRow | None:
        with self._sessions() as session:
            return session.get(DossierRow, code)

    async def send(self, claim: Claim) -> Outcome:
        newest = claim.newest or claim.event
        if newest is None:
            return Outcome(False, "the event is missing from the log", retryable=False)
        dossier = await asyncio.to_thread(self._snapshot, claim.dossier_code)
        if dossier is None:
            return Outcome(False, "the dossier has no status snapshot yet")
        status = PortalStatus(
            dossier_code=dossier.dossier_code,
            procedure_code=dossier.procedure_code,
            agency_code=agency_code(dossier.dossier_code),
            seq=newest.seq,
            status=dossier.status,
            changed_at=newest.occurred_at,
            due_at=dossier.due_at,
            waiting_for=dossier.waiting_for,
        )
        try:
            await self._portal(dossier.agency).push_status(status)
        except AdapterError as exc:
            if isinstance(exc, Misconfigured):
                log.error("outbox.portal_misconfigured", agency=dossier.agency, error=str(exc))
            return Outcome(False, f"{type(exc).__name__}: {exc}", retryable=exc.retryable)
        except Exception as exc:  # a plugin's own bug: the operator must look
            log.error("outbox.portal_failed", agency=dossier.agency, exc_info=exc)
            return Outcome(False, f"{type(exc).__name__}: {exc}", retryable=False)
        return Outcome(True)

    async def aclose(self) -> None:
        for adapters in self._built.values():
            await adapters.aclose()
        self._built.clear()
