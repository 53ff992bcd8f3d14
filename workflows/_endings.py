"""How a dossier ends before its result: refused, rejected, lapsed, withdrawn, or closed because
the applicant died. Open tasks are cancelled and a paid fee is refunded (the compensation)."""

from __future__ import annotations

import contextlib
from typing import Any, NoReturn

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.contracts import REFUND
    from adapters.payment import RefundRequest
    from motcua.definitions import Step
    from motcua.dossier import (
        DossierLapsed,
        DossierRefused,
        DossierRejected,
        DossierWithdrawn,
        FeeRefunded,
        PaymentEvent,
        TaskCancelled,
    )
    from workflows._calls import start
    from workflows._deadline import stop_clock, timeliness_of
    from workflows._dossier import Dossier, Ended

Ending = type[DossierRefused] | type[DossierRejected] | type[DossierLapsed]


async def end(d: Dossier, kind: Ending, step: Step | None, **facts: Any) -> NoReturn:
    """Close the dossier with ``kind`` and unwind the interpreter."""
    event_type: str = kind.model_fields["type"].default
    reason = f"dossier {event_type.removeprefix('dossier.')}"
    await _wind_up(d, refund_fee=kind is not DossierLapsed, reason=reason)
    timeliness = timeliness_of(workflow.now(), d.due)
    d.journal.record(kind, step=step, timeliness=timeliness, **facts)
    d.notify("citizen", event_type.replace(".", "_"))
    raise Ended


async def end_withdrawn(d: Dossier) -> None:
    await _wind_up(d, refund_fee=True, reason="withdrawn by the applicant")
    comment_id = d.withdrawal.comment_id if d.withdrawal else None
    d.journal.record(DossierWithdrawn, step=d.step, actor_id="citizen", comment_id=comment_id)


async def end_applicant_died(d: Dossier) -> None:
    """Refuse the dossier: the population database reports the applicant dead before the
    decision."""
    death = d.death
    assert death is not None
    with contextlib.suppress(Ended):
        await end(
            d,
            DossierRefused,
            d.step,
            reason_code="applicant_died",
            source="population",
            effective_on=death.effective_on,
            cursor=death.cursor,
        )


async def refund(d: Dossier, payment: PaymentEvent, reason: str) -> None:
    request = RefundRequest(
        reference=payment.reference,
        transaction_id=payment.transaction_id,
        amount=payment.amount,
        reason=reason,
    )
    receipt = await start(REFUND, request, queue=d.home_queue)
    d.journal.record(
        FeeRefunded,
        actor_id="payment-platform",
        reference=payment.reference,
        transaction_id=payment.transaction_id,
        amount=payment.amount,
        refund_id=receipt.refund_id,
        reason=reason,
    )


async def _wind_up(d: Dossier, *, refund_fee: bool, reason: str) -> None:
    for task in d.tasks.values():
        d.journal.record(
            TaskCancelled,
            step_id=task.step_id,
            step_kind=task.step_kind,
            task_id=task.task_id,
            task_agency=task.agency,
        )
    d.tasks.clear()
    stop_clock(d)
    if refund_fee and d.paid is not None and not d.journal.view.refunded:
        await refund(d, d.paid, reason)
