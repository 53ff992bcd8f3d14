"""The dossier's journal: every hand-off recorded as a typed event, folded into the status view
at once, and projected to the read model in order — never lost, never twice.

Each event is linked into the dossier's hash chain as it is recorded (`chain_link`); the
journal keeps every link, so the workflow, not the database, says what the log must hold.

A replay records the events again, and an event's ``occurred_at`` after a local activity is
not always the instant the first run saw (the SDK advances workflow time differently), so its
hash may differ. Each projection's receipt, recorded in the history, carries the hashes the
log got the first time: the journal adopts them and relinks the events not projected yet, so
its chain is the one the log holds, on the first run and on every replay."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any, TypeVar

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.contracts import NOTIFY, PROJECT, ProjectionInput
    from adapters.notification import Notice, NoticeReceipt
    from motcua.definitions import Procedure, Step
    from motcua.dossier import (
        CHAIN_GENESIS,
        AuditChain,
        DossierView,
        Event,
        EventBase,
        chain_link,
        event_id,
    )
    from workflows._calls import local, send

E = TypeVar("E", bound=EventBase)


class Journal:
    def __init__(self, procedure: Procedure) -> None:
        self._proc = procedure
        self._workflow_id = workflow.info().workflow_id
        self._seq = 0
        self._chain: list[str] = []  # the chain hash of event seq n at index n - 1
        self._pending: list[Event] = []
        self._notices: list[Notice] = []  # sent with the next projection
        self.resent: list[workflow.ActivityHandle[NoticeReceipt]] = []  # those it failed to send
        self._flushing = asyncio.Lock()  # one projection at a time keeps the rows in seq order
        self.projected_seq = 0
        self.view = DossierView(
            dossier_code="",
            workflow_id=self._workflow_id,
            procedure_code=procedure.code,
            procedure_version=procedure.version,
            agency=procedure.agency,
            received_at=workflow.now(),
            updated_at=workflow.now(),
        )

    @property
    def code(self) -> str:
        return self.view.dossier_code

    @property
    def pending(self) -> bool:
        """Whether events wait to be projected, or notices to be sent."""
        return bool(self._pending or self._notices)

    @property
    def seq(self) -> int:
        return self._seq

    @property
    def chain_head(self) -> str | None:
        """The chain hash of the last event recorded (None before the first)."""
        return self._chain[-1] if self._chain else None

    def audit_chain(self) -> AuditChain:
        return AuditChain(
            dossier_code=self.code, hashes=list(self._chain), projected_seq=self.projected_seq
        )

    def record(
        self,
        model: type[E],
        /,
        *,
        step: Step | None = None,
        at: datetime | None = None,
        **fields: Any,
    ) -> E:
        """Record one event of type ``model``; it is in the status view at once, and in the
        read model after the next :meth:`flush`. ``at``: when it happened, if before now (a
        deadline computed from that instant by a local activity, which advanced the time)."""
        self._seq += 1
        if step is not None:
            fields |= {"step_id": step.id, "step_kind": step.kind}
        event = model(
            event_id=event_id(self._workflow_id, self._seq),
            workflow_id=self._workflow_id,
            seq=self._seq,
            dossier_code=self.code,
            procedure_code=self._proc.code,
            procedure_version=self._proc.version,
            agency=self._proc.agency,
            occurred_at=at or workflow.now(),
            **fields,
        )
        link = chain_link(self.chain_head or CHAIN_GENESIS, event)
        event = event.model_copy(update={"chain_hash": link})
        self._chain.append(link)
        self._pending.append(event)  # type: ignore[arg-type]  # every EventBase kind is in Event
        self.view.apply(event)  # type: ignore[arg-type]
        return event

    def announce(self, notice: Notice) -> None:
        """Send ``notice`` once what is recorded so far is projected (with the next flush)."""
        self._notices.append(notice)

    async def flush(self) -> None:
        """Project what was recorded and send what it announces. A flush interrupted by a
        cancellation puts its batch back, so the next flush projects it: a cancelled coroutine
        never loses an event. A notice the projection could not send is sent again apart, with
        retries, and the run ends only once it has gone (``resent``)."""
        async with self._flushing:
            if not self.pending:
                return
            batch, self._pending = self._pending, []
            notices, self._notices = self._notices, []
            try:
                receipt = await local(PROJECT, ProjectionInput(events=batch, notices=notices))
            except BaseException:
                self._pending[:0] = batch
                self._notices[:0] = notices
                raise
            self.resent += [send(NOTIFY, n) for n in notices if n.key in receipt.unsent]
            if batch:
                self.projected_seq = batch[-1].seq
                self._adopt(batch, receipt.chain)

    def _adopt(self, batch: list[Event], logged: dict[str, str]) -> None:
        """Take the hashes the log holds for ``batch``; relink what is recorded after it."""
        if all(
            logged.get(e.event_id, self._chain[e.seq - 1]) == self._chain[e.seq - 1] for e in batch
        ):
            return  # the first run: the log holds what this run computed
        for event in batch:
            self._chain[event.seq - 1] = logged.get(event.event_id, self._chain[event.seq - 1])
        relinked: list[Event] = []
        for event in self._pending:
            previous = self._chain[event.seq - 2] if event.seq > 1 else CHAIN_GENESIS
            link = chain_link(previous, event)
            self._chain[event.seq - 1] = link
            relinked.append(event.model_copy(update={"chain_hash": link}))
        self._pending = relinked
