"""One dossier being interpreted: its inputs, its journal and status view, and what it waits for.

The step handlers (``workflows/steps``) and the command handlers (``_commands.py``) share this
one instance; what a citizen or officer sees is derived from the journal's view, never kept here.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.contracts import DueAnswer
    from adapters.notification import Notice
    from motcua.definitions import Step
    from motcua.definitions import evaluate as evaluate_condition
    from motcua.dossier import (
        TERMINAL_STATUSES,
        ConsultationReplyInput,
        DecisionInput,
        DossierInput,
        DossierStatusName,
        PaymentEvent,
        PopulationChangeInput,
        SupplementInput,
        VerifiedFacts,
        WithdrawInput,
        condition_context,
    )
    from motcua.dossier import search_attributes as _search
    from motcua.dossier.rules import OpenTask
    from workflows._clock import Clock
    from workflows._journal import Journal

T = TypeVar("T")


class Ended(Exception):
    """Unwinds the step interpreter once a terminal event has been recorded."""


class Interrupted(Exception):
    """Raised at a wait when something outside the steps ends the dossier where it stands."""


class Withdrawn(Interrupted):
    """The citizen has withdrawn the dossier."""


class ApplicantDied(Interrupted):
    """The population database reports the applicant's death before the decision: nobody is
    left to receive the result."""


class Dossier:
    def __init__(self, data: DossierInput) -> None:
        self.input = data
        self.proc = data.procedure
        self.clock = Clock(data.options)
        self.journal = Journal(data.procedure)
        self.step: Step | None = None
        self.holder = "citizen"  # who last held the dossier, for the next hand-off
        self.forwarded_to: str | None = None  # the competent agency a receiver forwarded it to
        self.closed = False  # the run has ended: commands waiting on it are answered now
        # Officers' tasks and decisions
        self.tasks: dict[str, OpenTask] = {}
        self.attempts: defaultdict[str, int] = defaultdict(int)
        self.decisions: dict[str, DecisionInput] = {}
        self.picked: set[str] = set()  # decisions taken up since the last settle
        self.answered: set[str] = set()  # decisions whose effects are in the read model
        self.deciders: defaultdict[str, set[str]] = defaultdict(set)
        # Deadline clock (Decree 118/2025 Art. 19)
        self.due: DueAnswer | None = None
        self.clock_generation = 0  # a new clock (or a stopped one) retires the old watcher
        self.apologised = False
        self.watcher: asyncio.Task[None] | None = None  # never cancelled: it retires itself
        self.supplement_window: datetime | None = None
        self.supplement: SupplementInput | None = None
        # What the population database holds of the applicant (after the verify step)
        self.verified: VerifiedFacts | None = None
        # Fee
        self.fee_reference: str | None = None
        self.paid: PaymentEvent | None = None
        self.seen_transactions: set[str] = set()
        # What comes from outside
        self.decided = False  # the decision is taken: withdrawal and death no longer interrupt
        self.withdrawal: WithdrawInput | None = None
        self.rating_closes: datetime | None = None
        self.awaited_replies: set[str] = set()
        self.pushed_replies: dict[str, ConsultationReplyInput] = {}
        self.population_cursors: set[int] = set()
        self.death: PopulationChangeInput | None = None
        self._search: dict[str, Any] = {}

    # ---------------------------------------------------------------- derived state

    @property
    def code(self) -> str:
        return self.journal.code

    @property
    def status(self) -> DossierStatusName:
        return self.journal.view.status

    @property
    def terminal(self) -> bool:
        return self.status in TERMINAL_STATUSES

    @property
    def competent_agency(self) -> str:
        """Whose officers work the steps that name no agency: the procedure's, unless the
        receiver forwarded the dossier to the competent one."""
        return self.forwarded_to or self.proc.agency

    def agency_queue(self, agency: str) -> str:
        """The task queue of ``agency``'s worker, which runs its adapters inside its network."""
        return self.input.options.agency_queue_prefix + agency

    @property
    def home_queue(self) -> str:
        return self.agency_queue(self.proc.agency)

    def context(self) -> dict[str, Any]:
        """The facts a definition's conditions may read (never eval: a small safe language)."""
        data = self.input
        return condition_context(
            data.applicant,
            data.form,
            data.channel,
            today=workflow.now().date(),
            verified=self.verified,
        )

    def applies(self, condition: str | None) -> bool:
        return condition is None or bool(evaluate_condition(condition, self.context()))

    # ------------------------------------------------------------ waits and settling

    async def settle(self, *, brief: bool = False) -> None:
        """Project what was recorded, then answer the decisions taken up meanwhile: an officer's
        answer shows the dossier where it went next, as the read model does. The Temporal UI's
        filters follow too, unless the wait ahead is ``brief`` (see :meth:`wait`)."""
        await self.journal.flush()
        if not brief:
            self._upsert_search()
        self.answered |= self.picked
        self.picked.clear()

    async def wait(
        self,
        condition: Callable[[], bool],
        timeout: timedelta | None = None,
        *,
        brief: bool = False,
    ) -> bool:
        """Wait for ``condition``, settling whatever is recorded or decided meanwhile (by a
        command, a parallel branch, the deadline watcher); False on timeout. Raises
        ``Withdrawn`` or ``ApplicantDied``.

        A condition already met settles nothing: the dossier goes on at once, and what it
        recorded is projected at the next wait, in the same workflow task (one local activity
        instead of two). ``brief``: an adapter call, which the Temporal UI's search attributes
        need not show (each upsert is a history event and a visibility write; the read model
        is where a dossier's status is looked up, its waits on people are in the UI too)."""
        until = workflow.now() + max(timeout, timedelta(0)) if timeout is not None else None
        while not (condition() or self.interrupted()):
            await self.settle(brief=brief)
            if condition() or self.interrupted():
                break
            left = until - workflow.now() if until is not None else None
            try:
                await workflow.wait_condition(
                    lambda: condition() or self.interrupted() or self.unsettled,
                    timeout=max(left, timedelta(0)) if left is not None else None,
                )
            except TimeoutError:
                return False
        self.raise_if_interrupted()
        return True

    @property
    def unsettled(self) -> bool:
        return bool(self.picked) or self.journal.pending

    def interrupted(self) -> bool:
        # After the decision the result is issued all the same (to the estate, by post...).
        return not self.decided and (self.withdrawal is not None or self.death is not None)

    def raise_if_interrupted(self) -> None:
        if self.interrupted():
            raise Withdrawn if self.withdrawal is not None else ApplicantDied

    async def until_done(self, handle: workflow.ActivityHandle[T]) -> T:
        """Await an adapter call that may take long (an agency's worker down, a system down for
        hours) while the read model settles and the dossier stays open to withdrawal."""
        try:
            await self.wait(handle.done, brief=True)
        except Interrupted:
            handle.cancel()
            raise
        return handle.result()

    # ----------------------------------------------------------------- announcements

    def notify(
        self, audience: str, template: str, *, recipient: str | None = None, **facts: str
    ) -> None:
        """Send a notice with the next projection, once the read model shows what it announces;
        the key makes a repeated send a no-op."""
        notice = Notice(
            key=f"{workflow.info().workflow_id}/{self.journal.seq}/{template}",
            audience="officer" if audience == "officer" else "citizen",
            recipient=recipient or self.code,
            template=template,
            facts=facts,
        )
        self.journal.announce(notice)

    def _upsert_search(self) -> None:
        """Keep the Temporal UI's filters current, once per settle and only what changed."""
        if not self.input.options.search_attributes:
            return
        view = self.journal.view
        wanted = {
            "code": self.code,
            "status": view.status,
            "due": view.due_at,
        }
        changed = [k for k, v in wanted.items() if v is not None and self._search.get(k) != v]
        if not changed:
            return
        updates = [
            _search.DOSSIER_CODE.value_set(self.code) if "code" in changed else None,
            _search.STATUS.value_set(view.status) if "status" in changed else None,
            _search.DUE_AT.value_set(view.due_at) if "due" in changed and view.due_at else None,
        ]
        if "code" in changed:
            updates += [
                _search.PROCEDURE.value_set(self.proc.code),
                _search.AGENCY.value_set(self.proc.agency),
            ]
        workflow.upsert_search_attributes([u for u in updates if u is not None])
        self._search |= wanted
