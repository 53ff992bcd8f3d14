"""The HTTP delivery adapter: a route per channel, a separate postal host, the counter offline."""

from __future__ import annotations

import httpx
import pytest

from adapters import installed_plugins
from adapters.delivery import DeliveryRequest
from adapters.errors import Transient
from adapters.http.delivery import DeliveryOptions, HttpDelivery, plugin
from motcua.simulators import Knobs, create_simulator, serving


def _request(channel: str, **fields: str) -> DeliveryRequest:
    return DeliveryRequest.model_validate(
        {"result_id": "R-1", "result_code": "C-1", "channel": channel, "document_hash": "0" * 64}
        | fields
    )


def test_the_plugin_is_installed_with_its_own_options() -> None:
    assert installed_plugins()["delivery.http"] is plugin
    assert plugin.options is DeliveryOptions
    adapter = plugin.create({"base_url": "http://127.0.0.1:1", "post_url": "http://127.0.0.1:2"})
    assert isinstance(adapter, HttpDelivery)


async def test_the_post_may_live_on_another_host() -> None:
    with serving(create_simulator("edata")) as store, serving(create_simulator("edata")) as post:
        adapter = HttpDelivery(DeliveryOptions(base_url=store, post_url=post))
        await adapter.deliver(_request("e_data_store", personal_id="001090012345"))
        await adapter.deliver(_request("post", address="Xã An Phú, An Giang"))
        await adapter.aclose()
        at_store = httpx.get(f"{store}/_sim/deliveries").json()
        at_post = httpx.get(f"{post}/_sim/deliveries").json()

    assert [d["request"]["channel"] for d in at_store] == ["e_data_store"]
    assert [d["request"]["channel"] for d in at_post] == ["post"]


async def test_a_counter_hand_over_calls_nobody() -> None:
    # Nothing listens on port 1: a call would fail.
    adapter = HttpDelivery(DeliveryOptions(base_url="http://127.0.0.1:1"))
    receipt = await adapter.deliver(_request("counter"))
    await adapter.aclose()
    assert (receipt.channel, receipt.tracking) == ("counter", "COUNTER-R-1")


async def test_an_outage_of_the_store_is_transient() -> None:
    with serving(create_simulator("edata", knobs=Knobs(outage=True))) as url:
        adapter = HttpDelivery(DeliveryOptions(base_url=url))
        with pytest.raises(Transient, match=r"e-data store: .*HTTP 503"):
            await adapter.deliver(_request("e_data_store", personal_id="001090012345"))
        await adapter.aclose()
