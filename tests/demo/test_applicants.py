"""The demo's applicants are the population simulator's citizens, not invented people."""

from __future__ import annotations

from motcua.demo._applicants import applicants
from motcua.simulators.population import PopulationRegister


def test_applicants_are_the_population_simulators_citizens() -> None:
    register = PopulationRegister(0)  # the seed `motcua sim` and `motcua up` serve
    people = applicants(0, 25)
    assert [p.personal_id for p in people] == register.samples(25)
    for person in people:
        citizen = register.lookup(person.personal_id)
        assert citizen.alive
        assert (person.full_name, person.birth_date) == (citizen.full_name, citizen.birth_date)
        assert person.categories == citizen.categories
        assert citizen.permanent_residence.commune in (person.address or "")
    assert len({p.personal_id for p in people}) == 25
    assert applicants(0, 25) == people  # the same seed, the same people
