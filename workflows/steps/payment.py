"""The fee (where the procedure has one): request it through the agency's payment platform, wait
for the confirmation event, reconcile before reminding, lapse at expiry. Only a payment of the
amount due counts: another amount is refused and parked for an operator."""

from __future__ import annotations

from datetime import datetime, timedelta

from temporalio import workflow
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from activities.contracts import PAYMENT_STATUS, REQUEST_PAYMENT, FeeRequest
    from motcua.definitions import PaymentStep
    from motcua.dossier import (
        DossierLapsed,
        FeeAssessed,
        FeeExempted,
        FeeMismatched,
        FeePaid,
        FeeReminded,
        FeeRequested,
        PaymentEvent,
        fee_reference,
    )
    from workflows._calls import start
    from workflows._dossier import Dossier
    from workflows._endings import end


def fee_due(d: Dossier) -> int:
    fee = d.proc.fee
    if fee is None or (fee.exempt_when and d.applies(fee.exempt_when)):
        return 0
    online = d.input.channel == "online"
    for rate in fee.reduced:
        if d.applies(rate.when):
            return rate.online if online else rate.counter
    return fee.online if online else fee.counter


async def payment(d: Dossier, step: PaymentStep) -> None:
    amount = fee_due(d)
    if amount == 0:
        d.journal.record(FeeExempted, step=step, amount=0)
        return
    d.journal.record(FeeAssessed, step=step, amount=amount)
    reference = d.fee_reference = fee_reference(d.code)
    request = FeeRequest(
        reference=reference,
        amount=amount,
        description=f"{d.proc.name.vi} — {d.code}",
        payer_id=d.input.applicant.personal_id,
        valid_for=d.clock.span(timedelta(hours=step.expires_after_hours)),
    )
    order = await d.until_done(start(REQUEST_PAYMENT, request, queue=d.home_queue))
    d.journal.record(
        FeeRequested, step=step, reference=reference, amount=amount, expires_at=order.expires_at
    )
    reminder = d.clock.span(timedelta(hours=step.reminder_after_hours))
    if not await _paid_in_full(d, step, amount, workflow.now() + reminder):
        await _reconcile(d, reference)
        _park_if_mismatched(d, step, amount)
    if d.paid is None:
        d.journal.record(FeeReminded, step=step, reference=reference)
        d.notify("citizen", "payment_reminder", amount=str(amount))
        if not await _paid_in_full(d, step, amount, order.expires_at):
            await end(d, DossierLapsed, step, reason_code="fee_not_paid", reference=reference)
    paid = d.paid
    assert paid is not None
    d.journal.record(
        FeePaid,
        step=step,
        actor_id="payment-platform",
        reference=paid.reference,
        transaction_id=paid.transaction_id,
        amount=paid.amount,
    )


async def _paid_in_full(d: Dossier, step: PaymentStep, amount: int, until: datetime) -> bool:
    """Wait until ``until`` for a payment of ``amount``; one of another amount is parked and
    the wait goes on (the citizen may still pay what is due)."""
    while await d.wait(lambda: d.paid is not None, until - workflow.now()):
        if not _park_if_mismatched(d, step, amount):
            return True
    return False


def _park_if_mismatched(d: Dossier, step: PaymentStep, amount: int) -> bool:
    """Refuse a payment whose amount is not the fee due: it does not count as paid, and the
    log keeps it for an operator (amounts and references only, no payer data)."""
    paid = d.paid
    if paid is None or paid.amount == amount:
        return False
    d.journal.record(
        FeeMismatched,
        step=step,
        actor_id="payment-platform",
        reference=paid.reference,
        transaction_id=paid.transaction_id,
        amount_due=amount,
        amount_paid=paid.amount,
    )
    workflow.logger.warning(
        "fee.mismatched", extra={"reference": paid.reference, "due": amount, "paid": paid.amount}
    )
    d.paid = None
    return True


async def _reconcile(d: Dossier, reference: str) -> None:
    """A confirmation callback can be lost on its way: before reminding the citizen, ask the
    platform whether the fee was paid."""
    try:
        state = await d.until_done(start(PAYMENT_STATUS, reference, queue=d.home_queue))
    except ActivityError:
        return  # the platform does not know the request: nothing to reconcile
    # A payment already seen (a parked one of the wrong amount) is not news.
    fresh = [p for p in state.payments if p.transaction_id not in d.seen_transactions]
    if fresh and d.paid is None:
        paid = fresh[0]
        d.seen_transactions.add(paid.transaction_id)  # its late callback is a repeat
        d.paid = PaymentEvent(
            reference=paid.reference,
            transaction_id=paid.transaction_id,
            amount=paid.amount,
            paid_at=paid.paid_at,
        )
