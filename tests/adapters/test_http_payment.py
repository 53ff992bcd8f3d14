"""The HTTP payment adapter: the plugin, and the platform's answers in the error taxonomy."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi import FastAPI

from adapters import installed_plugins
from adapters.errors import Misconfigured, NotFound, Rejected, Transient
from adapters.http import HttpOptions
from adapters.http.payment import HttpPayment, plugin
from adapters.payment import PaymentRequest, RefundRequest
from motcua.simulators import Knobs, create_simulator, serving

NOW = datetime.now(UTC).isoformat()
FEE = PaymentRequest(
    reference="000.00.02.H29-261123-0001-FEE",
    amount=10_000,
    description="Lệ phí đăng ký thường trú",
    expires_at=datetime.now(UTC) + timedelta(hours=1),
)


async def test_the_plugin_builds_an_adapter_for_its_simulator() -> None:
    assert installed_plugins()["payment.http"] is plugin
    assert plugin.simulator is not None
    with serving(plugin.simulator()) as url:
        adapter = plugin.create({"base_url": url})
        assert isinstance(adapter, HttpPayment)
        order = await adapter.create_request(FEE)
        state = await adapter.status(FEE.reference)
        await adapter.aclose()

    assert (order.reference, order.expires_at) == (FEE.reference, FEE.expires_at)
    assert (state.state, state.amount, state.payments) == ("pending", 10_000, [])


async def test_refusals_and_unknown_references() -> None:
    with serving(create_simulator("payment")) as url:
        adapter = HttpPayment(HttpOptions(base_url=url))
        await adapter.create_request(FEE)
        with pytest.raises(Rejected, match=r"payment platform: .*HTTP 409"):
            await adapter.create_request(FEE.model_copy(update={"amount": 20_000}))
        with pytest.raises(Rejected, match="HTTP 409"):
            await adapter.refund(
                RefundRequest(
                    reference=FEE.reference, transaction_id="TX-X", amount=10_000, reason="x"
                )
            )
        with pytest.raises(NotFound):
            await adapter.status("NO-SUCH-FEE")
        await adapter.aclose()


async def test_an_outage_is_transient_and_a_wrong_token_misconfigured(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PAYMENT_TOKEN", "stale")
    with serving(create_simulator("payment", knobs=Knobs(outage=True))) as down:
        adapter = HttpPayment(HttpOptions(base_url=down))
        with pytest.raises(Transient, match="simulated outage"):
            await adapter.create_request(FEE)
        await adapter.aclose()
    with serving(create_simulator("payment", token="fresh")) as guarded:
        adapter = HttpPayment(HttpOptions(base_url=guarded, token_env="PAYMENT_TOKEN"))
        with pytest.raises(Misconfigured, match="HTTP 401"):
            await adapter.status(FEE.reference)
        await adapter.aclose()


async def test_an_order_without_its_expiry_is_a_misconfigured_platform() -> None:
    """The dossier lapses at the expiry the platform holds: an order that does not say it is not
    this protocol, and must make the dossier wait for an operator, not guess."""
    platform = FastAPI()

    @platform.post("/v1/payment-requests")
    async def open_request() -> dict[str, str]:
        return {"reference": FEE.reference, "pay_url": "https://pay.example/1", "created_at": NOW}

    with serving(platform) as url:
        adapter = HttpPayment(HttpOptions(base_url=url))
        with pytest.raises(Misconfigured, match="unexpected answer to POST /v1/payment-requests"):
            await adapter.create_request(FEE)
        await adapter.aclose()
