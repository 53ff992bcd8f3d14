"""The population simulator as an integrator sees it: seeded citizens, checks, a change feed."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from adapters.errors import NotFound
from adapters.http import HttpOptions
from adapters.http.population import HttpPopulation
from adapters.population import VerifyRequest
from motcua.simulators import create_simulator, serving

ALL_CHECKS = ["identity", "alive", "residence", "relationship", "marital_status"]
ORDINARY = "001090012345"  # a man born in 1990, registered in Hà Nội


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with serving(create_simulator("population", seed=7)) as base:
        yield base


def _adapter(url: str) -> HttpPopulation:
    return HttpPopulation(HttpOptions(base_url=url))


@pytest.fixture
async def population(url: str) -> AsyncIterator[HttpPopulation]:
    adapter = _adapter(url)
    yield adapter
    await adapter.aclose()


async def test_a_citizen_depends_only_on_the_seed_and_the_personal_id(
    population: HttpPopulation,
) -> None:
    first = await population.lookup(ORDINARY)
    assert await population.lookup(ORDINARY) == first
    for seed, same in ((7, True), (8, False)):
        with serving(create_simulator("population", seed=seed)) as url:
            adapter = _adapter(url)
            assert (await adapter.lookup(ORDINARY) == first) is same
            await adapter.aclose()


async def test_the_record_agrees_with_the_personal_id(population: HttpPopulation) -> None:
    man, woman = await population.lookup(ORDINARY), await population.lookup("079305004567")
    assert (man.sex, man.birth_date.year) == ("male", 1990)
    assert (woman.sex, woman.birth_date.year) == ("female", 2005)
    assert man.permanent_residence.province == "Hà Nội"
    assert woman.permanent_residence.province == "Hồ Chí Minh"
    assert len(man.full_name.split()) >= 3  # family, middle and given names


async def test_relatives_are_citizens_with_well_formed_ids(population: HttpPopulation) -> None:
    citizen = await population.lookup(ORDINARY)
    kinds = {relation.kind: relation for relation in citizen.relations}
    assert {"father", "mother"} <= set(kinds)
    for relation in citizen.relations:
        assert re.fullmatch(r"\d{12}", relation.personal_id)
        relative = await population.lookup(relation.personal_id)
        assert relative.full_name == relation.full_name
    father, mother = kinds["father"].personal_id, kinds["mother"].personal_id
    assert int(father[3]) % 2 == 0 and int(mother[3]) % 2 == 1  # male, female
    assert (await population.lookup(father)).birth_date < citizen.birth_date
    # A Vietnamese child carries the father's family name.
    assert kinds["father"].full_name.split()[0] == citizen.full_name.split()[0]


async def test_an_ordinary_citizen_passes_every_check(population: HttpPopulation) -> None:
    answer = await population.verify(VerifyRequest(personal_id=ORDINARY, checks=ALL_CHECKS))
    assert answer.ok and answer.failed_checks == [] and answer.reason is None
    assert re.fullmatch(r"[0-9a-f]{64}", answer.response_hash)


@pytest.mark.parametrize(
    ("personal_id", "failed"),
    [
        ("001090012999", "alive"),
        ("001090012998", "relationship"),
        ("001090012997", "marital_status"),
    ],
)
async def test_marked_suffixes_fail_one_check(
    population: HttpPopulation, personal_id: str, failed: str
) -> None:
    answer = await population.verify(VerifyRequest(personal_id=personal_id, checks=ALL_CHECKS))
    assert not answer.ok
    assert answer.failed_checks == [failed]
    assert answer.reason is not None and failed in answer.reason


async def test_an_id_ending_000_is_unknown(population: HttpPopulation) -> None:
    with pytest.raises(NotFound, match="000"):
        await population.lookup("001090012000")
    with pytest.raises(NotFound):
        await population.verify(VerifyRequest(personal_id="001090012000", checks=["identity"]))


async def test_identity_compares_the_full_name(population: HttpPopulation) -> None:
    name = (await population.lookup(ORDINARY)).full_name
    spaced = f"  {name.upper()} "
    same = await population.verify(
        VerifyRequest(personal_id=ORDINARY, checks=["identity"], full_name=spaced)
    )
    other = await population.verify(
        VerifyRequest(personal_id=ORDINARY, checks=["identity"], full_name="Ngô Bảo Châu")
    )
    assert same.ok
    assert other.failed_checks == ["identity"]


async def test_changes_are_announced_in_order_and_applied(
    url: str, population: HttpPopulation
) -> None:
    start = (await population.changes(after=0, limit=1000)).next_cursor
    moved = {"line": "12 Lý Thường Kiệt", "commune": "Phường Hoàn Kiếm", "province": "Hà Nội"}
    announced: list[dict[str, object]] = [
        {
            "personal_id": "001085000111",
            "kind": "moved",
            "effective_on": "2026-11-02",
            "facts": moved,
        },
        {"personal_id": "001085000222", "kind": "died", "effective_on": "2026-11-03"},
        {"personal_id": "001085000333", "kind": "married", "effective_on": "2026-11-04"},
    ]
    async with httpx.AsyncClient(base_url=url) as admin:
        for change in announced:
            (await admin.post("/_sim/changes", json=change)).raise_for_status()

    first = await population.changes(after=start, limit=2)
    rest = await population.changes(after=first.next_cursor)
    assert [c.personal_id for c in first.changes + rest.changes] == [
        c["personal_id"] for c in announced
    ]
    assert [c.cursor for c in first.changes + rest.changes] == [start + 1, start + 2, start + 3]
    assert rest.next_cursor == start + 3
    assert (await population.changes(after=rest.next_cursor)).changes == []

    assert (await population.lookup("001085000111")).permanent_residence.line == moved["line"]
    dead = await population.verify(VerifyRequest(personal_id="001085000222", checks=["alive"]))
    wed = await population.verify(
        VerifyRequest(personal_id="001085000333", checks=["marital_status"])
    )
    assert dead.failed_checks == ["alive"] and wed.failed_checks == ["marital_status"]


async def test_sample_citizens_are_ordinary_and_repeat_for_a_seed(
    url: str, population: HttpPopulation
) -> None:
    async with httpx.AsyncClient(base_url=url) as admin:
        ids = (await admin.get("/_sim/citizens", params={"count": 5})).json()["personal_ids"]
        again = (await admin.get("/_sim/citizens", params={"count": 5})).json()["personal_ids"]
    assert ids == again and len(set(ids)) == 5
    for personal_id in ids:
        assert re.fullmatch(r"\d{3}[0-3]\d{8}", personal_id)
        answer = await population.verify(VerifyRequest(personal_id=personal_id, checks=ALL_CHECKS))
        assert answer.ok, answer.failed_checks
