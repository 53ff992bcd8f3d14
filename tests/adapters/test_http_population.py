"""The HTTP population adapter: the plugin, and every failure mapped onto the error taxonomy."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from adapters import installed_plugins
from adapters.errors import Misconfigured, NotFound, Rejected, Transient
from adapters.http import HttpOptions
from adapters.http.population import HttpPopulation, plugin
from adapters.population import VerifyRequest
from motcua.simulators import Knobs, create_simulator, serving
from tests.ports import unused_port

ORDINARY = "001090012345"


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with serving(create_simulator("population")) as base:
        yield base


@pytest.fixture
async def population(url: str) -> AsyncIterator[HttpPopulation]:
    adapter = HttpPopulation(HttpOptions(base_url=url))
    yield adapter
    await adapter.aclose()


async def test_the_plugin_is_installed_and_builds_the_adapter(url: str) -> None:
    assert installed_plugins()["population.http"] is plugin
    adapter = plugin.create({"base_url": url, "timeout_seconds": 1})
    assert isinstance(adapter, HttpPopulation)
    assert (await adapter.lookup(ORDINARY)).personal_id == ORDINARY
    await adapter.aclose()
    assert plugin.simulator is not None
    with serving(plugin.simulator()) as simulated:
        assert httpx.get(f"{simulated}/health").json()["status"] == "ok"


async def test_unknown_citizens_are_not_found(population: HttpPopulation) -> None:
    with pytest.raises(NotFound, match=r"population database: .*000 \(HTTP 404\)"):
        await population.lookup("079300001000")


async def test_requests_the_database_refuses_are_rejected(population: HttpPopulation) -> None:
    with pytest.raises(Rejected, match="HTTP 422"):
        await population.lookup("12345")
    with pytest.raises(Rejected, match="unknown checks: fingerprint"):
        await population.verify(VerifyRequest(personal_id=ORDINARY, checks=["fingerprint"]))


async def test_an_outage_is_transient() -> None:
    with serving(create_simulator("population", knobs=Knobs(outage=True))) as url:
        adapter = HttpPopulation(HttpOptions(base_url=url))
        with pytest.raises(Transient, match="simulated outage"):
            await adapter.lookup(ORDINARY)
        httpx.put(f"{url}/_sim/knobs", json={"outage": False}).raise_for_status()
        assert (await adapter.lookup(ORDINARY)).personal_id == ORDINARY
        await adapter.aclose()


async def test_an_answer_slower_than_the_timeout_is_transient() -> None:
    with serving(create_simulator("population", knobs=Knobs(latency_ms=400))) as url:
        adapter = HttpPopulation(HttpOptions(base_url=url, timeout_seconds=0.1))
        with pytest.raises(Transient, match="no answer in time"):
            await adapter.verify(VerifyRequest(personal_id=ORDINARY, checks=["alive"]))
        await adapter.aclose()


async def test_an_unreachable_database_is_transient() -> None:
    adapter = HttpPopulation(HttpOptions(base_url=f"http://127.0.0.1:{unused_port()}"))
    with pytest.raises(Transient, match="unreachable"):
        await adapter.changes()
    await adapter.aclose()


async def test_a_wrong_token_or_url_is_a_misconfiguration(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with serving(create_simulator("population", token="right")) as guarded:
        monkeypatch.setenv("POPULATION_TOKEN", "wrong")
        wrong = HttpPopulation(HttpOptions(base_url=guarded, token_env="POPULATION_TOKEN"))
        with pytest.raises(Misconfigured, match="HTTP 401"):
            await wrong.lookup(ORDINARY)
        await wrong.aclose()

        monkeypatch.setenv("POPULATION_TOKEN", "right")
        right = HttpPopulation(HttpOptions(base_url=guarded, token_env="POPULATION_TOKEN"))
        assert (await right.lookup(ORDINARY)).personal_id == ORDINARY
        await right.aclose()

    monkeypatch.delenv("POPULATION_TOKEN")
    with pytest.raises(Misconfigured, match="POPULATION_TOKEN is unset"):
        HttpPopulation(HttpOptions(base_url=url, token_env="POPULATION_TOKEN"))

    # A wrong path prefix answers 404 without the protocol's body: not an unknown citizen.
    lost = HttpPopulation(HttpOptions(base_url=f"{url}/population"))
    with pytest.raises(Misconfigured, match="no such endpoint"):
        await lost.lookup(ORDINARY)
    await lost.aclose()
