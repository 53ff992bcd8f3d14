"""The shared HTTP client itself: where a base URL with a path sends requests, and a backend
that outlives the event loop it first spoke on (a CLI command, then another)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from adapters.errors import Misconfigured
from adapters.http import HttpBackend, HttpOptions
from adapters.population import Citizen
from motcua.simulators import create_simulator, serving

ORDINARY = "001090012345"


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with serving(create_simulator("population")) as base:
        yield base


async def test_a_base_url_with_a_path_keeps_it_and_a_404_there_is_a_wrong_url(url: str) -> None:
    backend = HttpBackend(HttpOptions(base_url=f"{url}/prefix/"), system="population database")
    with pytest.raises(Misconfigured, match=r"no such endpoint .*/prefix/v1/citizens/001090012345"):
        await backend.request("GET", f"/v1/citizens/{ORDINARY}", Citizen)
    await backend.aclose()


def test_a_backend_answers_on_a_second_event_loop(url: str) -> None:
    backend = HttpBackend(HttpOptions(base_url=url), system="population database")

    async def lookup() -> str:
        return (await backend.request("GET", f"/v1/citizens/{ORDINARY}", Citizen)).personal_id

    assert asyncio.run(lookup()) == ORDINARY
    assert asyncio.run(lookup()) == ORDINARY
    asyncio.run(backend.aclose())
