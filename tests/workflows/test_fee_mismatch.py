"""A payment of another amount than the fee due never counts as the fee, however the dossier
learns of it: when the platform's confirmation is lost, reconciling before the reminder finds the
payment, parks it (``fee.mismatched``), reminds the citizen, and the dossier lapses at expiry if the
fee due is never paid. (The signed-callback path is tested over HTTP in tests/api.)"""

from __future__ import annotations

from datetime import timedelta

from temporalio.testing import WorkflowEnvironment

from motcua.definitions import PaymentStep
from motcua.dossier import FeeMismatched
from motcua.simulators.payment import pay_fee
from motcua.store import list_events
from tests.workflows.harness import Harness

RESIDENCE = "1.004222"


async def test_a_short_payment_found_by_reconciling_is_parked_and_the_dossier_lapses(
    skipping_env: WorkflowEnvironment, h: Harness
) -> None:
    dossier = await h.submit(RESIDENCE)
    await h.decide(dossier, "receive", "accept")
    code = (await h.wait_status(dossier, "awaiting_payment")).dossier_code
    # The citizen pays 1 VND at the platform; its confirmation never reaches the dossier.
    await pay_fee(h.sims["payment"], f"{code}-FEE", transaction_id="TX-SHORT", amount=1)
    step = h.catalog.latest(RESIDENCE).step("fee")
    assert isinstance(step, PaymentStep)
    await skipping_env.sleep(timedelta(hours=step.reminder_after_hours + 1))
    types = h.events(code)
    assert types.index("fee.mismatched") < types.index("fee.reminded")
    assert (await dossier.status()).status == "awaiting_payment"
    with h.sessions() as session:
        parked = [e for e in list_events(session, code) if isinstance(e, FeeMismatched)]
    assert [(p.transaction_id, p.amount_paid) for p in parked] == [("TX-SHORT", 1)]
    assert parked[0].amount_due > 1

    await skipping_env.sleep(timedelta(hours=step.expires_after_hours))
    status = await h.wait_status(dossier, "lapsed")
    assert not status.paid and "fee.paid" not in h.events(code)
    assert h.events(code).count("fee.mismatched") == 1  # parked once, not at every look
