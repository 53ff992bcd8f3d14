"""Fee requests as the payment platform receives them: the expiry counts from when the platform
accepted the request, however long the request retried through an outage before."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from temporalio.testing import ActivityEnvironment

from activities.contracts import FeeRequest
from activities.payments import PaymentActivities
from adapters.errors import Transient
from adapters.http import HttpOptions
from adapters.http.payment import HttpPayment
from motcua.simulators import Knobs, create_simulator, serving

VALID_FOR = timedelta(hours=72)
FEE = FeeRequest(
    reference="000.00.02.H29-261123-0001-FEE",
    amount=10_000,
    description="Lệ phí đăng ký thường trú — 000.00.02.H29-261123-0001",
    payer_id="001203004512",
    valid_for=VALID_FOR,
)


def attempt(env: ActivityEnvironment, number: int) -> datetime:
    """Start attempt ``number`` now, as the Temporal server would stamp it."""
    started = datetime.now(UTC)
    env.info = replace(env.info, attempt=number, started_time=started)
    return started


async def test_a_fee_requested_through_an_outage_expires_counted_from_its_acceptance() -> None:
    env = ActivityEnvironment()
    with serving(create_simulator("payment", knobs=Knobs(outage=True))) as url:
        platform = HttpPayment(HttpOptions(base_url=url))
        request_payment = PaymentActivities(platform).request_payment
        attempt(env, 1)
        with pytest.raises(Transient, match="simulated outage"):  # Temporal retries it
            await env.run(request_payment, FEE)
        httpx.put(f"{url}/_sim/knobs", json={"outage": False}).raise_for_status()
        back_up = attempt(env, 2)
        order = await env.run(request_payment, FEE)
        # A retry after the platform accepted (its answer lost) gets the first order back.
        attempt(env, 3)
        retried = await env.run(request_payment, FEE)
        state = await platform.status(FEE.reference)
        paid = httpx.post(f"{url}/v1/payment-requests/{FEE.reference}/pay")
        await platform.aclose()

    # Counted from the attempt the platform accepted, not from the first one it refused.
    assert order.expires_at == back_up + VALID_FOR
    assert order.expires_at > order.created_at
    assert retried == order
    assert state.state == "pending"
    assert paid.status_code == 200, paid.text


def test_a_fee_request_must_be_valid_for_some_time() -> None:
    with pytest.raises(ValueError, match="valid_for"):
        FeeRequest.model_validate(FEE.model_dump() | {"valid_for": timedelta(0)})
