"""The side tables of the projection: tasks (the inbox), payments, evidence and results.

Each is updated from the typed events of a batch, in seq order: the rows the batch touches are
read once (:class:`BatchRows`), changed in memory and written back once. A rebuild replays the
same handlers, so the tables depend on the event log alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import structlog
from sqlalchemy import Connection

from motcua.dossier import (
    DossierLapsed,
    Event,
    FeePaid,
    FeeRefunded,
    FeeRequested,
    ResultDelivered,
    ResultIssued,
    TaskCancelled,
    TaskClaimed,
    TaskCreated,
    TaskDecided,
    TaskReleased,
    VerificationCompleted,
    VerificationFailed,
)
from motcua.store._rows import BatchRows, Row, chunks, table_of
from motcua.store._tables import EvidenceRow, PaymentRow, ResultRow, TaskRow
from motcua.store._task_counts import TaskCounts

log = structlog.get_logger(__name__)

_TASK_FINAL = frozenset({"decided", "cancelled"})
_PAYMENT_SETTLED = frozenset({"paid", "refunded"})
_TaskEvent = TaskClaimed | TaskReleased | TaskDecided | TaskCancelled


class ProjectionError(ValueError):
    """An event contradicts the read model (a programming error: do not retry)."""


class SideTables:
    """The side-table rows one batch of events touches."""

    def __init__(self) -> None:
        self.tasks = BatchRows(table_of(TaskRow))
        self.payments = BatchRows(table_of(PaymentRow))
        self.evidence = BatchRows(table_of(EvidenceRow))
        self.results = BatchRows(table_of(ResultRow))
        self.task_counts = TaskCounts()

    @classmethod
    def load(cls, connection: Connection, events: Sequence[Event]) -> SideTables:
        """Read, with one SELECT per table, every row that ``events`` may change."""
        tables = cls()
        tasks, references, evidence, results, lapsed = set(), set(), set(), set(), set()
        for ev in events:
            match ev:
                case (
                    TaskCreated() | TaskClaimed() | TaskReleased() | TaskDecided() | TaskCancelled()
                ):
                    tasks.add(ev.task_id)
                case FeeRequested() | FeePaid() | FeeRefunded():
                    references.add(ev.reference)
                case DossierLapsed():
                    lapsed.add(ev.dossier_code)
                case VerificationCompleted() | VerificationFailed():
                    evidence.add(ev.evidence_id)
                case ResultIssued() | ResultDelivered():
                    results.add(ev.result_id)
        tables.tasks.load(connection, tasks)
        tables.payments.load(connection, references)
        for codes in chunks(sorted(lapsed)):
            payments = tables.payments.table.c
            tables.payments.load_where(connection, payments.dossier_code.in_(codes))
        tables.evidence.load(connection, evidence)
        tables.results.load(connection, results)
        return tables

    def apply(self, ev: Event) -> None:
        """Apply one event.

        Raises:
            ProjectionError: the event would create a row another dossier already has.
        """
        match ev:
            case TaskCreated():
                self._task_created(ev)
            case TaskClaimed():
                self._task_update(ev, status="claimed", claimed_by=ev.actor_id,
                                  claimed_at=ev.occurred_at)  # fmt: skip
            case TaskReleased():
                self._task_update(ev, status="open", claimed_by=None, claimed_at=None)
            case TaskDecided():
                self._task_update(ev, status="decided", decided_by=ev.actor_id,
                                  decided_at=ev.occurred_at, outcome=ev.outcome)  # fmt: skip
            case TaskCancelled():
                self._task_update(ev, status="cancelled")
            case FeeRequested():
                self._fee_requested(ev)
            case FeePaid():
                self._fee_paid(ev)
            case FeeRefunded():
                self._fee_refunded(ev)
            case DossierLapsed():
                for payment in self.payments.where(
                    dossier_code=ev.dossier_code, status="requested"
                ):
                    if ev.reference in (None, payment["reference"]):
                        self.payments.update(payment, status="lapsed")
            case VerificationCompleted() | VerificationFailed():
                self._verification(ev)
            case ResultIssued():
                self._result_issued(ev)
            case ResultDelivered():
                self._result_delivered(ev)

    def write(self, connection: Connection) -> None:
        """Write back every new and changed row."""
        for rows in (self.tasks, self.payments, self.evidence, self.results):
            rows.write(connection)
        self.task_counts.write(connection)  # last: their row locks are held the shortest

    # --------------------------------------------------------------------------- tasks

    def _task_created(self, ev: TaskCreated) -> None:
        if _exists(ev, self.tasks.get(ev.task_id), f"task {ev.task_id}"):
            return
        task = self.tasks.add(
            {
                "task_id": ev.task_id,
                "dossier_code": ev.dossier_code,
                "workflow_id": ev.workflow_id,
                "step_id": ev.step_id,
                "branch_id": ev.branch_id,
                "role": ev.role,
                "agency": ev.task_agency,
                "outcomes": list(ev.outcomes),
                "status": "open",
                "created_at": ev.occurred_at,
                "due_at": ev.due_at,
                "claimed_by": None,
                "claimed_at": None,
                "decided_by": None,
                "decided_at": None,
                "outcome": None,
            }
        )
        self.task_counts.add(task, +1)

    def _task_update(self, ev: _TaskEvent, **values: Any) -> None:
        task = self.tasks.get(ev.task_id)
        if task is None:
            log.warning(
                "store.task_unknown", event_id=ev.event_id, type=ev.type, task_id=ev.task_id
            )
        elif task["status"] in _TASK_FINAL:
            log.warning("store.task_final", event_id=ev.event_id, type=ev.type, task_id=ev.task_id)
        else:
            self.task_counts.add(task, -1)
            self.tasks.update(task, **values)
            self.task_counts.add(task, +1)

    # ------------------------------------------------------------------------ payments

    def _fee_requested(self, ev: FeeRequested) -> None:
        payment = self.payments.get(ev.reference) or self.payments.add(_payment(ev, "requested"))
        # A request logged after its payment (batches out of order) does not undo the payment.
        status = payment["status"] if payment["status"] in _PAYMENT_SETTLED else "requested"
        self.payments.update(
            payment,
            amount=ev.amount,
            currency=ev.currency,
            status=status,
            requested_at=ev.occurred_at,
        )

    def _fee_paid(self, ev: FeePaid) -> None:
        # A confirmation whose request was never logged is recorded all the same.
        payment = self.payments.get(ev.reference) or self.payments.add(_payment(ev, "paid"))
        if payment["status"] == "refunded":
            return
        self.payments.update(
            payment,
            status="paid",
            paid_at=ev.occurred_at,
            transaction_id=ev.transaction_id,
            amount=ev.amount,
        )

    def _fee_refunded(self, ev: FeeRefunded) -> None:
        payment = self.payments.get(ev.reference)
        if payment is None:
            log.warning("store.payment_unknown", event_id=ev.event_id, reference=ev.reference)
        elif payment["transaction_id"] in (None, ev.transaction_id):
            # A refunded duplicate payment leaves the fee that was kept as it is.
            self.payments.update(payment, status="refunded", refunded_at=ev.occurred_at)

    # --------------------------------------------------------------- evidence, results

    def _verification(self, ev: VerificationCompleted | VerificationFailed) -> None:
        if _exists(ev, self.evidence.get(ev.evidence_id), f"evidence {ev.evidence_id}"):
            return
        self.evidence.add(
            {
                "evidence_id": ev.evidence_id,
                "dossier_code": ev.dossier_code,
                "source": ev.source,
                "checks": list(ev.checks),
                "query_hash": ev.query_hash,
                "response_hash": ev.response_hash,
                "verified_at": ev.occurred_at,
                "ok": ev.ok,
            }
        )

    def _result_issued(self, ev: ResultIssued) -> None:
        if _exists(ev, self.results.get(ev.result_id), f"result {ev.result_id}"):
            return
        self.results.add(
            {
                "result_id": ev.result_id,
                "dossier_code": ev.dossier_code,
                "result_type": ev.result_type,
                "issued_at": ev.occurred_at,
                "delivered_to": [],
                "document_hash": ev.document_hash,
            }
        )

    def _result_delivered(self, ev: ResultDelivered) -> None:
        result = self.results.get(ev.result_id)
        if result is None:
            log.warning("store.result_unknown", event_id=ev.event_id, result_id=ev.result_id)
        elif ev.delivery not in result["delivered_to"]:
            self.results.update(result, delivered_to=[*result["delivered_to"], ev.delivery])


def _payment(ev: FeeRequested | FeePaid, status: str) -> Row:
    return {
        "reference": ev.reference,
        "dossier_code": ev.dossier_code,
        "amount": ev.amount,
        "currency": "VND",
        "status": status,
        "requested_at": None,
        "paid_at": None,
        "transaction_id": None,
        "refunded_at": None,
    }


def _exists(ev: Event, row: Row | None, what: str) -> bool:
    """Whether a row the event would create exists: fine for its own dossier, a bug otherwise."""
    if row is None:
        return False
    if row["dossier_code"] != ev.dossier_code:
        raise ProjectionError(
            f"event {ev.event_id}: {what} already belongs to dossier {row['dossier_code']}; "
            "ids must be unique across dossiers"
        )
    log.warning("store.row_exists", event_id=ev.event_id, type=ev.type, row=what)
    return True
