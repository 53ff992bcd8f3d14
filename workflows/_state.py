"""The state of one dossier and the journal of its hand-offs: events, projection, notices.

Shared by the step interpreter (``procedure.py``) and the command handlers (``_commands.py``).
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from activities import (
        DueAnswer,
        NotificationActivities,
        PaymentActivities,
        ProjectionInput,
        StoreActivities,
    )
    from adapters.notification import Notice, NoticeReceipt
    from adapters.payment import RefundRequest
    from motcua.definitions import (
        ApprovalStep,
        Procedure,
        ReceiptStep,
        ReviewStep,
        Step,
    )
    from motcua.definitions import evaluate as evaluate_condition
    from motcua.dossier import (
        Ack,
        ConsultationReplyInput,
        DecisionInput,
        DossierInput,
        DossierStatus,
        DossierStatusName,
        Event,
        PaymentEvent,
        PopulationChangeInput,
        RatingInput,
        SupplementInput,
        TaskView,
        Timeliness,
        WithdrawInput,
        event_id,
    )
    from workflows import _search
    from workflows._rules import (
        OpenTask,
        StateConflict,
    )

T = TypeVar("T")

LOCAL = timedelta(seconds=30)
# Bounds how long a crashed worker delays a dossier: an adapter call lost with it is retried
# after this. Adapters keep their own HTTP timeouts well below it.
ADAPTER_CALL = timedelta(seconds=20)
# Adapter outages must make a dossier wait, not fail: retry until the system comes back.
ADAPTER_RETRY = RetryPolicy(maximum_interval=timedelta(minutes=5))


class Ended(Exception):
    """Unwinds the step interpreter once a terminal event has been recorded."""


class Interrupted(Exception):
    """Raised at a wait when something outside the steps ends the dossier where it stands."""


class Withdrawn(Interrupted):
    """Raised at a wait when the citizen has withdrawn the dossier."""


class ApplicantDied(Interrupted):
    """Raised at a wait when the population database reports the applicant's death before
    the decision: nobody is left to receive the result."""


class DossierState:
    """What a dossier knows about itself, and how it records, projects and announces it."""

    def __init__(self, data: DossierInput) -> None:
        self._in = data
        self._proc: Procedure = data.procedure
        self._code = ""
        self._submitted_projected = False
        self._seq = 0
        self._pending: list[Event] = []
        self._status: DossierStatusName = "submitted"
        self._step: Step | None = None
        self._waiting_for: str | None = None
        self._received_at = workflow.now()
        self._accepted_at: datetime | None = None
        self._due: DueAnswer | None = None  # current clock (restarted after a supplement)
        self._extended_due: datetime | None = None
        self._apologised = False
        self._clock_stopped = False
        self._watcher: asyncio.Task[None] | None = None
        self._supplement_window: datetime | None = None
        self._supplement_requests = 0
        self._missing: list[str] = []
        self._supplement: SupplementInput | None = None
        self._tasks: dict[str, OpenTask] = {}
        self._attempts: defaultdict[str, int] = defaultdict(int)
        self._decisions: dict[str, DecisionInput] = {}
        self._processed: set[str] = set()
        self._deciders: defaultdict[str, set[str]] = defaultdict(set)
        self._holder = "citizen"
        self._fee_amount: int | None = None
        self._fee_reference: str | None = None
        self._paid: PaymentEvent | None = None
        self._seen_transactions: set[str] = set()
        self._refunded = False
        self._decided = False
        self._withdraw: WithdrawInput | None = None
        self._rating: RatingInput | None = None
        self._result_code: str | None = None
        self._timeliness: Timeliness | None = None
        self._asked_systems: set[str] = set()  # agency systems a consultation waits for
        self._awaited_replies: set[str] = set()  # consultation references open to a push
        self._pushed_replies: dict[str, ConsultationReplyInput] = {}
        self._replies_done: set[str] = set()
        self._population_cursors: set[int] = set()  # changes already recorded
        self._population_notes: list[str] = []  # shown to the officers holding the dossier
        self._death: PopulationChangeInput | None = None
        self._notices: list[workflow.ActivityHandle[NoticeReceipt | None]] = []

    def _record_claim(self, task: OpenTask, actor_id: str, role: str, at: datetime) -> None:
        task.claimed_by, task.claimed_at = actor_id, at
        self._seq_event(
            "task.claimed",
            step_id=task.step_id,
            step_kind=task.step_kind,
            actor_id=actor_id,
            actor_role=role,
            data={
                "task_id": task.task_id,
                "agency": task.agency,
                "waited_seconds": (at - task.created_at).total_seconds(),
            },
        )

    def _describe_open_tasks(self, *, also: OpenTask | None = None) -> str | None:
        """Who holds the dossier; ``also``: a task being created, not open to claims yet."""
        tasks = [*self._tasks.values(), *([also] if also is not None else [])]
        holders = sorted({f"{t.role}@{t.agency}" for t in tasks})
        waiting = [f"officer: {', '.join(holders)}"] if holders else []
        waiting += sorted(self._asked_systems)
        if holders:
            waiting += self._population_notes
        return "; ".join(waiting) or None

    def _due_at(self) -> datetime | None:
        return self._extended_due or (self._due.due_at if self._due else None)

    async def _refund(self, payment: PaymentEvent, reason: str) -> None:
        receipt = await workflow.execute_activity_method(
            PaymentActivities.refund_payment,
            RefundRequest(
                reference=payment.reference,
                transaction_id=payment.transaction_id,
                amount=payment.amount,
                reason=reason,
            ),
            task_queue=self._agency_queue(self._proc.agency),
            start_to_close_timeout=ADAPTER_CALL,
            retry_policy=ADAPTER_RETRY,
        )
        self._record(
            "fee.refunded",
            actor_id="payment-platform",
            data={
                "reference": payment.reference,
                "transaction_id": payment.transaction_id,
                "amount": payment.amount,
                "refund_id": receipt.refund_id,
                "reason": reason,
            },
        )

    # ------------------------------------------------------------------- helpers

    def _open_task(self, task_id: str) -> OpenTask:
        task = self._tasks.get(task_id)
        if task is None or task_id in self._decisions:
            open_ids = ", ".join(t for t in self._tasks if t not in self._decisions) or "none"
            raise StateConflict(f"no open task {task_id} on dossier {self._code}; open: {open_ids}")
        return task

    async def _wait(self, condition: Callable[[], bool], timeout: timedelta | None = None) -> bool:
        """Project pending events, then wait; False on timeout. Raises ``Withdrawn`` or
        ``ApplicantDied``."""
        await self._flush()
        try:
            await workflow.wait_condition(
                lambda: condition() or self._withdraw is not None or self._died(),
                timeout=max(timeout, timedelta(0)) if timeout is not None else None,
            )
        except TimeoutError:
            return False
        if self._withdraw is not None:
            raise Withdrawn
        if self._died():
            raise ApplicantDied
        return True

    def _died(self) -> bool:
        # After the decision the result is issued all the same (to the estate, by post...).
        return self._death is not None and not self._decided

    async def _until_done(self, handle: workflow.ActivityHandle[T]) -> T:
        """Await an activity that may take long (an agency's worker down, a reply taking days)
        while staying open to withdrawal, which cancels it."""
        try:
            await self._wait(handle.done)
        except Interrupted:
            handle.cancel()
            raise
        return handle.result()

    def _record(self, event_type: str, *, step: Step | None = None, **fields: Any) -> None:
        self._seq_event(
            event_type,
            step_id=step.id if step else None,
            step_kind=step.kind if step else None,
            **fields,
        )

    def _seq_event(self, event_type: str, **fields: Any) -> None:
        self._seq += 1
        workflow_id = workflow.info().workflow_id
        self._pending.append(
            Event(
                event_id=event_id(workflow_id, self._seq),
                workflow_id=workflow_id,
                seq=self._seq,
                type=event_type,
                dossier_code=self._code,
                procedure_code=self._proc.code,
                procedure_version=self._proc.version,
                agency=self._proc.agency,
                occurred_at=workflow.now(),
                **fields,
            )
        )

    async def _flush(self) -> None:
        if not self._pending:
            return
        batch, self._pending = self._pending, []
        await workflow.execute_local_activity_method(
            StoreActivities.project,
            ProjectionInput(
                events=batch,
                status=self._status_view(),
                applicant_id=self._in.applicant.personal_id,
                submission_id=self._in.submission_id,
                bundle_id=self._in.bundle_id,
            ),
            start_to_close_timeout=LOCAL,
        )
        self._submitted_projected = True

    def _notify(
        self, audience: str, template: str, *, recipient: str | None = None, **facts: str
    ) -> None:
        """Send a notice without waiting for it; the key makes a retried send a no-op."""
        handle = workflow.start_activity_method(
            NotificationActivities.notify,
            Notice(
                key=f"{workflow.info().workflow_id}/{self._seq}/{template}",
                audience="officer" if audience == "officer" else "citizen",
                recipient=recipient or self._code,
                template=template,
                facts=facts,
            ),
            start_to_close_timeout=ADAPTER_CALL,
            retry_policy=ADAPTER_RETRY,
        )
        self._notices.append(handle)

    def _set_status(self, status: DossierStatusName, *, waiting_for: str | None = None) -> None:
        self._status = status
        self._waiting_for = waiting_for
        if self._in.options.search_attributes:
            workflow.upsert_search_attributes([_search.STATUS.value_set(status)])

    def _upsert_due(self) -> None:
        due = self._due_at()
        if due is not None and self._in.options.search_attributes:
            workflow.upsert_search_attributes([_search.DUE_AT.value_set(due)])

    def _agency_queue(self, agency: str) -> str | None:
        """The task queue of ``agency``'s worker, which runs that agency's adapters inside its
        own network; ``None`` (this workflow's queue) for dossiers started before that."""
        if not workflow.patched("agency-task-queues"):
            return None
        return self._in.options.agency_queue_prefix + agency

    def _agency_of(self, step: ReceiptStep | ReviewStep | ApprovalStep) -> str:
        return step.agency or self._proc.agency

    def _context(self) -> dict[str, Any]:
        applicant = self._in.applicant
        age = None
        if applicant.birth_date is not None:
            today = workflow.now().date()
            born = applicant.birth_date
            age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        return {
            "applicant": {"age": age, "categories": list(applicant.categories)},
            "form": dict(self._in.form),
            "dossier": {"channel": self._in.channel},
        }

    def _fee_due(self) -> int:
        fee = self._proc.fee
        if fee is None:
            return 0
        context = self._context()
        if fee.exempt_when and evaluate_condition(fee.exempt_when, context):
            return 0
        online = self._in.channel == "online"
        for rate in fee.reduced:
            if evaluate_condition(rate.when, context):
                return rate.online if online else rate.counter
        return fee.online if online else fee.counter

    def _ack(self, message: str) -> Ack:
        return Ack(dossier_code=self._code, status=self._status, message=message)

    def _status_view(self) -> DossierStatus:
        return DossierStatus(
            dossier_code=self._code,
            workflow_id=workflow.info().workflow_id,
            procedure_code=self._proc.code,
            procedure_version=self._proc.version,
            agency=self._proc.agency,
            channel=self._in.channel,
            status=self._status,
            current_step=self._step.id if self._step else None,
            waiting_for=self._waiting_for,
            received_at=self._received_at,
            accepted_at=self._accepted_at,
            due_at=self._due_at(),
            original_due_at=self._due.due_at if self._due else None,
            extended=self._apologised,
            clock_stopped=self._clock_stopped,
            supplement_requests=self._supplement_requests,
            missing_documents=self._missing,
            open_tasks=[task_view(t) for t in self._tasks.values()],
            fee_amount=self._fee_amount,
            paid=self._paid is not None,
            refunded=self._refunded,
            result_code=self._result_code,
            timeliness=self._timeliness,
            rating=self._rating.score if self._rating else None,
        )


def timeliness_of(at: datetime, due: DueAnswer | None) -> Timeliness | None:
    if due is None:
        return None
    if at > due.due_at:
        return "late"
    return "early" if at < due.warn_at else "on_time"


def task_view(task: OpenTask) -> TaskView:
    return TaskView(
        task_id=task.task_id,
        step_id=task.step_id,
        branch_id=task.branch_id,
        role=task.role,
        agency=task.agency,
        outcomes=task.outcomes,
        created_at=task.created_at,
        due_at=task.due_at,
        claimed_by=task.claimed_by,
    )
