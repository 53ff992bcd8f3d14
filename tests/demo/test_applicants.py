"""The demo's applicants are the population simulator's citizens, not invented people."""

from __future__ import annotations

from motcua.demo._applicants import Applicants
from motcua.simulators.population import PopulationRegister


def test_applicants_are_the_population_simulators_citizens() -> None:
    register = PopulationRegister(0)  # the seed `motcua sim` and `motcua up` serve
    people = Applicants(0, 12)
    assert people.personal_ids == register.samples(12)
    for index, personal_id in enumerate(people.personal_ids):
        person, citizen = people[index], register.lookup(personal_id)
        assert citizen.alive and person.personal_id == personal_id
        assert (person.full_name, person.birth_date) == (citizen.full_name, citizen.birth_date)
        assert person.categories == citizen.categories
        assert citizen.permanent_residence.commune in (person.address or "")
    assert len(set(people.personal_ids)) == 12
    assert people[12] == people[0]  # more dossiers than citizens: they file again
    assert Applicants(0, 12)[5] == people[5]  # the same seed, the same people
