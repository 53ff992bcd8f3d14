"""The HTTP portal sync against the portal simulator: later updates win, refusals are final."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
import pytest

from adapters.errors import Rejected, Transient
from adapters.http import HttpOptions
from adapters.http.portal import HttpPortal
from adapters.portal import PortalStatus
from motcua.simulators import create_simulator, serving

CODE = "000.00.02.H29-261123-0001"


def _status(seq: int, status: str) -> PortalStatus:
    return PortalStatus(
        dossier_code=CODE,
        procedure_code="birth-registration",
        agency_code="commune-police",
        seq=seq,
        status=status,
        changed_at=datetime(2026, 11, 23, 3, seq, tzinfo=UTC),
    )


@pytest.fixture
async def portal() -> AsyncIterator[tuple[HttpPortal, str]]:
    with serving(create_simulator("portal")) as url:
        adapter = HttpPortal(HttpOptions(base_url=url))
        yield adapter, url
        await adapter.aclose()


async def test_an_older_update_is_acknowledged_but_the_latest_stays(
    portal: tuple[HttpPortal, str],
) -> None:
    adapter, url = portal
    received = await adapter.push_status(_status(1, "received"))
    processing = await adapter.push_status(_status(3, "processing"))
    late = await adapter.push_status(_status(2, "accepted"))
    retried = await adapter.push_status(_status(3, "processing"))
    seen_by_citizen = httpx.get(f"{url}/v1/dossiers/{CODE}/status").json()

    assert (received.applied, processing.applied) == (True, True)
    assert (late.seq, late.applied) == (2, False)
    assert retried.applied is False
    assert PortalStatus.model_validate(seen_by_citizen) == _status(3, "processing")


async def test_a_status_the_portal_cannot_accept_is_rejected(
    portal: tuple[HttpPortal, str],
) -> None:
    adapter, _ = portal
    invalid = _status(1, "received").model_copy(update={"seq": 0})  # skips validation
    with pytest.raises(Rejected, match=r"not valid.*HTTP 422"):
        await adapter.push_status(invalid)


async def test_failures_injected_at_every_request_are_transient() -> None:
    with serving(create_simulator("portal")) as url:
        adapter = HttpPortal(HttpOptions(base_url=url))
        try:
            httpx.put(f"{url}/_sim/knobs", json={"error_rate": 1}).raise_for_status()
            with pytest.raises(Transient, match="HTTP 503"):
                await adapter.push_status(_status(1, "received"))
            httpx.put(f"{url}/_sim/knobs", json={"error_rate": 0}).raise_for_status()
            assert (await adapter.push_status(_status(1, "received"))).applied
        finally:
            await adapter.aclose()
