"""The e-data store and postal simulator: one delivery per result and channel, a readable log."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from adapters.delivery import DeliveryRequest
from adapters.errors import Rejected
from adapters.http.delivery import DeliveryOptions, HttpDelivery
from motcua.simulators import create_simulator, serving

RESULT = "000.00.02.H29-261123-0001/birth-certificate"


def _request(channel: str, result_id: str = RESULT, **fields: str) -> DeliveryRequest:
    return DeliveryRequest.model_validate(
        {
            "result_id": result_id,
            "result_code": "001090012345KS",
            "channel": channel,
            "document_hash": "ab" * 32,
            **fields,
        }
    )


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with serving(create_simulator("edata")) as base:
        yield base


@pytest.fixture
async def delivery(url: str) -> AsyncIterator[HttpDelivery]:
    adapter = HttpDelivery(DeliveryOptions(base_url=url))
    yield adapter
    await adapter.aclose()


async def test_each_result_is_delivered_once_per_channel(url: str, delivery: HttpDelivery) -> None:
    deposit = _request("e_data_store", personal_id="001090012345")
    consignment = _request("post", address="12 Lý Thường Kiệt, Hoàn Kiếm, Hà Nội")
    stored = await delivery.deliver(deposit)
    posted = await delivery.deliver(consignment)

    assert await delivery.deliver(deposit) == stored
    assert await delivery.deliver(consignment) == posted
    assert re.fullmatch(r"EDATA-\d{6}", stored.tracking)
    assert re.fullmatch(r"POST-\d{6}", posted.tracking)
    delivered = httpx.get(f"{url}/_sim/deliveries").json()
    assert [(d["request"]["channel"], d["receipt"]["tracking"]) for d in delivered] == [
        ("e_data_store", stored.tracking),
        ("post", posted.tracking),
    ]


async def test_a_delivery_without_its_destination_is_rejected(delivery: HttpDelivery) -> None:
    with pytest.raises(Rejected, match="e-data store needs personal_id"):
        await delivery.deliver(_request("e_data_store", result_id="R-2"))
    with pytest.raises(Rejected, match="postal service needs address"):
        await delivery.deliver(_request("post", result_id="R-2"))


def test_a_deposit_on_the_postal_route_is_refused(url: str) -> None:
    body = _request("e_data_store", personal_id="001090012345").model_dump(mode="json")
    answer = httpx.post(f"{url}/v1/consignments", json=body)
    assert answer.status_code == 422 and answer.json()["code"] == "wrong_channel"
