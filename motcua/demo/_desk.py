"""The simulated officers: they learn of tasks from the read model, as an inbox shows them, and
the office model says who works each task and when; they claim it when they start and decide
it when they finish, through the engine's commands, as the API would."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker
from temporalio.client import Client

from motcua.definitions import Catalog
from motcua.demo._clock import LagGovernor, utc_now
from motcua.demo._office import Office
from motcua.demo._office_file import OfficeFile
from motcua.demo._schedule import Draws, Scheduler, on_own_clock
from motcua.dossier import Actor, ClaimInput, DecisionInput, bundle_of
from motcua.engine import CommandRefused, Dossier
from motcua.store import TaskRow, get_dossier, list_tasks


@dataclass
class Desk:
    client: Client
    catalog: Catalog
    sessions: sessionmaker[Session]
    plan: OfficeFile
    office: Office
    governor: LagGovernor
    scheduler: Scheduler
    draws: Draws
    triggers: dict[str, datetime] = field(default_factory=dict)  # workflow id → last command
    _seen: set[str] = field(default_factory=set)
    _visits: Counter[tuple[str, str | None, str | None]] = field(default_factory=Counter)

    def sent(self, workflow_id: str) -> None:
        """The demo just sent ``workflow_id`` a command that should give it a task at once.

        A bundle member's command is its bundle's latest too: a member that waited for another
        (a residence registration for its birth registration) starts when that one ends, so
        its first task is due at once after the command that ended it, not after the bundle's
        submission. Timed from the submission, the hours the first member took were counted
        as machine lag, and the clock slowed for them (`make run`: two lags of 12 s at 629x)."""
        now = utc_now()
        self.triggers[workflow_id] = now
        if bundle := bundle_of(workflow_id):
            self.triggers[bundle] = now

    def look_at_inbox(self) -> None:
        with self.sessions() as session:
            rows = list_tasks(session, status=("open",), limit=5_000)
            # This run's dossiers only: an earlier run's ran on another clock.
            new = [
                t
                for t in rows
                if t.task_id not in self._seen and self.scheduler.scale_of(t.workflow_id)
            ]
            kinds = {t.task_id: self._step_kind(session, t) for t in new}
        for task in sorted(new, key=lambda t: t.created_at):
            self._seen.add(task.task_id)
            self._measure(task)
            self._plan(task, kinds[task.task_id])

    def _measure(self, task: TaskRow) -> None:
        sent = self.triggers.pop(task.workflow_id, None)
        bundle = bundle_of(task.workflow_id)
        if sent is None and bundle:  # a member's first task: its bundle's latest command
            sent = self.triggers.get(bundle)
        if sent is not None and task.created_at >= sent:
            self.governor.observe((task.created_at - sent).total_seconds())

    def _plan(self, task: TaskRow, kind: str) -> None:
        visit_key = (task.workflow_id, task.step_id, task.branch_id)
        self._visits[visit_key] += 1
        rng = self.draws.rng(task.workflow_id, "task", *visit_key[1:], self._visits[visit_key])
        minutes = self.plan.service(kind).draw(rng)
        outcome = self._outcome(rng.random(), task, kind)
        ready = self.governor.clock.virtual(task.created_at)
        job = self.office.assign(role=task.role, agency=task.agency, ready=ready, minutes=minutes)
        actor = Actor(id=job.officer, role=task.role, agency=task.agency)
        own = self.scheduler.clock_of(task.workflow_id)
        start, end = on_own_clock(job, own.virtual(task.created_at), self.office.calendar)

        async def work() -> None:
            dossier = Dossier(self.client, task.workflow_id)
            await self.scheduler.until(start, own)
            self.governor.started_late((utc_now() - own.real(start)).total_seconds())
            await dossier.claim(ClaimInput(task_id=task.task_id, actor=actor))
            await self.scheduler.until(end, own)
            await self._decide(dossier, task, actor, outcome, kind)

        self.scheduler.spawn(task.task_id, work)

    def _outcome(self, roll: float, task: TaskRow, kind: str) -> str:
        cumulative = 0.0
        for outcome, p in self.plan.outcomes.get(kind, {}).items():
            cumulative += p
            if roll < cumulative:
                return outcome if outcome in task.outcomes else task.outcomes[0]
        return task.outcomes[0]

    async def _decide(
        self, dossier: Dossier, task: TaskRow, actor: Actor, outcome: str, kind: str
    ) -> None:
        missing = self._askable_documents(task) if outcome == "request_supplement" else []
        self.sent(task.workflow_id)
        try:
            await dossier.decide(
                DecisionInput(
                    task_id=task.task_id, actor=actor, outcome=outcome, missing_documents=missing
                )
            )
        except CommandRefused:
            if outcome != "request_supplement":
                raise
            # Only one supplement request is allowed (Decree 118 Art. 19): the officer goes on.
            await dossier.decide(
                DecisionInput(task_id=task.task_id, actor=actor, outcome=task.outcomes[0])
            )

    def _step_kind(self, session: Session, task: TaskRow) -> str:
        if task.branch_id:
            return "consult"
        procedure = self._procedure(session, task.dossier_code)
        return procedure.step(task.step_id or "").kind

    def _askable_documents(self, task: TaskRow) -> list[str]:
        with self.sessions() as session:
            procedure = self._procedure(session, task.dossier_code)
        return [d.id for d in procedure.documents if d.replaced_by is None][:1]

    def _procedure(self, session: Session, code: str) -> Any:
        dossier = get_dossier(session, code)
        assert dossier is not None, code
        return self.catalog.get(dossier.procedure_code, dossier.procedure_version)
