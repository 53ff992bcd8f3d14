"""Fee exemptions rest on the population database's record, not on what the citizen typed: once
the verify step has read the record, ``applicant.age`` is counted from the recorded birth date and
``applicant.categories`` are the registers' (the judicial record certificate is free under 16,
from 60, for disabled people and poor households, half price for students)."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable
from datetime import date
from itertools import count
from pathlib import Path

from temporalio.testing import WorkflowEnvironment

from motcua.definitions import Catalog
from motcua.dossier import Applicant, FeeAssessed
from motcua.simulators._people import People, encode, ordinary_serial
from motcua.store import list_events
from tests.workflows.harness import Harness, running_worker

JUDICIAL_RECORD = "2.000488"
FULL_FEE = 200_000  # online and counter alike: procedure_defs/judicial_record.yaml
RECORDS = People(seed=0)  # the population simulator's register, as the harness serves it


async def eventually(check: Callable[[], bool], timeout: float = 20) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not check():
        assert asyncio.get_running_loop().time() < deadline, f"never true: {check}"
        await asyncio.sleep(0.05)


async def fee_outcome(h: Harness, applicant: Applicant) -> tuple[str, int]:
    """File a judicial record request as ``applicant``, accept it, and return the fee event the
    dossier wrote after verification (``fee.assessed`` with its amount, or ``fee.exempted``)."""
    dossier = await h.submit(JUDICIAL_RECORD, applicant=applicant)
    await h.decide(dossier, "receive", "accept")
    code = (await dossier.status()).dossier_code

    def fee_events() -> list[str]:
        return [t for t in h.events(code) if t in ("fee.assessed", "fee.exempted")]

    await eventually(lambda: bool(fee_events()))
    with h.sessions() as session:
        assessed = [e for e in list_events(session, code) if isinstance(e, FeeAssessed)]
    return fee_events()[0], assessed[0].amount if assessed else 0


def adult_with(*, categories: list[str], born: int = 1990) -> str:
    """A personal ID the register lists as born in ``born`` with exactly these categories."""
    for seed in count(1):
        personal_id = encode("001", born, "female", ordinary_serial(random.Random(seed)))
        if RECORDS.citizen(personal_id).categories == categories:
            return personal_id
    raise AssertionError("unreachable")


async def test_typed_age_and_categories_do_not_exempt_a_citizen_the_record_does_not(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    personal_id = adult_with(categories=[])
    claims = Applicant(
        personal_id=personal_id,
        full_name=RECORDS.name(personal_id),
        birth_date=date(2015, 1, 1),  # "11 years old": exempt, were it true
        categories=["poor_household", "disabled", "student"],
    )
    async with running_worker(dev_env, catalog, tmp_path) as h:
        assert await fee_outcome(h, claims) == ("fee.assessed", FULL_FEE)


async def test_the_records_categories_and_age_exempt_whatever_was_typed(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    poor = adult_with(categories=["poor_household"])
    elderly = adult_with(categories=[], born=1950)
    async with running_worker(dev_env, catalog, tmp_path) as h:
        # Typed as a 36-year-old with no category; the register says poor household.
        typed = Applicant(personal_id=poor, full_name="X", birth_date=date(1990, 1, 1))
        assert await fee_outcome(h, typed) == ("fee.exempted", 0)
        # Typed as 36; the register says born 1950: over 60.
        typed = Applicant(personal_id=elderly, full_name="Y", birth_date=date(1990, 1, 1))
        assert await fee_outcome(h, typed) == ("fee.exempted", 0)
