"""Applicants are the population simulator's citizens: the demo files for the people the
simulated National Population Database lists, so verification finds them and their records."""

from __future__ import annotations

import hashlib

from motcua.dossier import Applicant
from motcua.simulators.population import PopulationRegister


def applicants(seed: int, count: int) -> list[Applicant]:
    """The first ``count`` living adults of the population simulator seeded with ``seed`` (the
    seed ``motcua sim`` and ``motcua up`` serve it with, 0 by default)."""
    register = PopulationRegister(seed)
    out = []
    for personal_id in register.samples(count):
        citizen = register.lookup(personal_id)
        home = citizen.permanent_residence
        out.append(
            Applicant(
                personal_id=citizen.personal_id,
                full_name=citizen.full_name,
                birth_date=citizen.birth_date,
                phone=_phone(personal_id),
                address=", ".join((home.line, home.commune, home.province)),
                categories=list(citizen.categories),
            )
        )
    return out


def _phone(personal_id: str) -> str:
    # The population database holds no phone number; the portal asks for one. Derived from the
    # ID so the same citizen always gives the same number.
    digits = int(hashlib.sha256(personal_id.encode()).hexdigest()[:12], 16) % 10**8
    return f"09{digits:08d}"
