"""The timestamping simulator over HTTP, through the reference adapter: receipts that hold, and
that stop holding when what they stamp is changed."""

from __future__ import annotations

from datetime import date

import httpx

from adapters.http._client import HttpOptions
from adapters.http.timestamping import HttpTimestampAuthority
from adapters.timestamping import StampRequest, signature_holds
from motcua.simulators import serving
from motcua.simulators.timestamping import create_app

ROOT = "ab" * 32


async def test_a_receipt_holds_for_what_was_stamped_only() -> None:
    with serving(create_app(seed=1)) as url, serving(create_app(seed=2)) as other_url:
        authority = HttpTimestampAuthority(HttpOptions.model_validate({"base_url": url}))
        other = HttpTimestampAuthority(HttpOptions.model_validate({"base_url": other_url}))
        try:
            receipt = await authority.stamp(StampRequest(day=date(2026, 12, 1), root=ROOT))
            key, other_key = await authority.key(), await other.key()
        finally:
            await authority.aclose()
            await other.aclose()
    assert (receipt.day, receipt.root, receipt.serial) == (date(2026, 12, 1), ROOT, "TS-000001")
    assert signature_holds(receipt, key)
    assert not signature_holds(receipt.model_copy(update={"root": "cd" * 32}), key)
    assert not signature_holds(receipt.model_copy(update={"day": date(2026, 12, 2)}), key)
    assert not signature_holds(receipt, other_key)  # another authority's key


async def test_a_malformed_root_is_refused_with_a_readable_error() -> None:
    with serving(create_app()) as url:
        async with httpx.AsyncClient(base_url=url) as client:
            answer = await client.post("/v1/stamps", json={"day": "2026-12-01", "root": "nope"})
    assert answer.status_code == 422
    assert "root" in answer.text
