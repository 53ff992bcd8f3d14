"""Applicants are the population simulator's citizens: the demo files for the people the
simulated National Population Database lists, so verification finds them and their records."""

from __future__ import annotations

import hashlib

from motcua.dossier import Applicant
from motcua.simulators.population import PopulationRegister


class Applicants:
    """The living adults the population simulator seeded with ``seed`` lists (``motcua sim``
    and ``motcua up`` serve seed 0), in its order, as applicants."""

    def __init__(self, seed: int, count: int) -> None:
        self._register = PopulationRegister(seed)
        self.personal_ids = self._register.samples(count)

    def __len__(self) -> int:
        return len(self.personal_ids)

    def __getitem__(self, index: int) -> Applicant:
        """The ``index``-th citizen (cycling), read from the register: a record takes tens of
        milliseconds to generate, so the demo reads each when it files for that citizen."""
        personal_id = self.personal_ids[index % len(self.personal_ids)]
        citizen = self._register.lookup(personal_id)
        home = citizen.permanent_residence
        return Applicant(
            personal_id=citizen.personal_id,
            full_name=citizen.full_name,
            birth_date=citizen.birth_date,
            phone=_phone(personal_id),
            address=", ".join((home.line, home.commune, home.province)),
            categories=list(citizen.categories),
        )


def _phone(personal_id: str) -> str:
    # The population database holds no phone number; the portal asks for one. Derived from the
    # ID so the same citizen always gives the same number.
    digits = int(hashlib.sha256(personal_id.encode()).hexdigest()[:12], 16) % 10**8
    return f"09{digits:08d}"
