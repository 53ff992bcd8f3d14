"""Synthetic citizens of the population simulator, generated from (seed, personal ID).

A personal ID is decoded as the CCCD layout says: province code (3 digits), century and sex
(1 digit: 0/1 born 19xx male/female, 2/3 born 20xx, and so on a century per pair), birth year
(2 digits), serial (6 digits). Everything else — name, birth day, address, relatives — is drawn
by Faker's ``vi_VN`` locale from a generator seeded with the seed, the ID and what is drawn, so
a relative's name in one record is the name of that relative's own record (relations are not
reciprocal, though: a father's own record lists children of his own). Only the current year
enters besides: nobody is listed as born after it.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Literal

from faker import Faker

from adapters.population import Address, Citizen, Relation

Sex = Literal["male", "female"]
MaritalStatus = Literal["single", "married", "divorced", "widowed"]
_SEXES: tuple[Sex, Sex] = ("male", "female")

# CCCD province codes of the 34 provinces and cities (2025), by their pre-merger code.
PROVINCES: dict[str, str] = {
    "001": "Hà Nội", "004": "Cao Bằng", "008": "Tuyên Quang", "010": "Lào Cai",
    "011": "Điện Biên", "012": "Lai Châu", "014": "Sơn La", "019": "Thái Nguyên",
    "020": "Lạng Sơn", "022": "Quảng Ninh", "025": "Phú Thọ", "027": "Bắc Ninh",
    "031": "Hải Phòng", "033": "Hưng Yên", "037": "Ninh Bình", "038": "Thanh Hóa",
    "040": "Nghệ An", "042": "Hà Tĩnh", "045": "Quảng Trị", "046": "Huế",
    "048": "Đà Nẵng", "051": "Quảng Ngãi", "056": "Khánh Hòa", "064": "Gia Lai",
    "066": "Đắk Lắk", "068": "Lâm Đồng", "072": "Tây Ninh", "075": "Đồng Nai",
    "079": "Hồ Chí Minh", "086": "Vĩnh Long", "087": "Đồng Tháp", "089": "An Giang",
    "092": "Cần Thơ", "096": "Cà Mau",
}  # fmt: skip

# The last three digits that make a record answer differently, so tests and demos reach every
# path with ordinary-looking IDs.
UNKNOWN, DECEASED, NO_RELATION, MARRIED = "000", "999", "998", "997"
SPECIAL_SUFFIXES = frozenset({UNKNOWN, DECEASED, NO_RELATION, MARRIED})

# Faker's vi_VN middle names mix "Văn" and "Thị"; a middle name tells the sex in Vietnamese.
_MIDDLE: dict[Sex, tuple[str, ...]] = {
    "male": ("Văn", "Đức", "Quang", "Hữu", "Minh", "Xuân", "Thế"),
    "female": ("Thị", "Ngọc", "Thu", "Thanh", "Mai", "Bảo"),
}


def decode(personal_id: str) -> tuple[int, Sex]:
    """Birth year and sex written in a personal ID."""
    digit = int(personal_id[3])
    return 1900 + 100 * (digit // 2) + int(personal_id[4:6]), "female" if digit % 2 else "male"


def encode(province: str, year: int, sex: Sex, serial: int) -> str:
    """The personal ID of someone born in ``year`` (1900 or later)."""
    digit = (year - 1900) // 100 * 2 + (sex == "female")
    return f"{province}{digit}{year % 100:02d}{serial:06d}"


def ordinary_serial(rng: random.Random) -> int:
    """A serial whose last three digits are none of :data:`SPECIAL_SUFFIXES`."""
    return rng.randrange(1000) * 1000 + rng.randint(1, 996)


class People:
    """Every well-formed personal ID is a citizen whose record depends only on (seed, ID)."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._fake = Faker("vi_VN")

    def _key(self, personal_id: str, purpose: str) -> int:
        digest = hashlib.sha256(f"{self.seed}:{personal_id}:{purpose}".encode()).digest()
        return int.from_bytes(digest[:8], "big")

    def _draw(self, personal_id: str, purpose: str) -> Faker:
        """The shared Faker, reseeded: use it up before drawing anything else."""
        self._fake.seed_instance(self._key(personal_id, purpose))
        return self._fake

    def _rng(self, personal_id: str, purpose: str) -> random.Random:
        """A private generator, for draws interleaved with other records' draws."""
        return random.Random(self._key(personal_id, purpose))

    def family_name(self, personal_id: str) -> str:
        return str(self._draw(personal_id, "family").last_name())

    def name(self, personal_id: str) -> str:
        """Family name, middle name, given name, as Vietnamese names are written."""
        _, sex = decode(personal_id)
        fake = self._draw(personal_id, "name")
        middle = fake.random_element(_MIDDLE[sex])
        unisex = fake.random.random() < 0.25
        given = fake.first_name_unisex() if unisex else getattr(fake, f"first_name_{sex}")()
        return f"{self.family_name(personal_id)} {middle} {given}"

    def citizen(self, personal_id: str, *, today: date | None = None) -> Citizen:
        """The record of ``personal_id``; callers answer "unknown" for the ``000`` suffix."""
        today = today or date.today()
        year, sex = decode(personal_id)
        suffix, province = personal_id[-3:], personal_id[:3]
        rng = self._rng(personal_id, "record")
        born = date(year, 1, 1) + timedelta(days=rng.randrange(365))
        if year == today.year:
            born = min(born, today)
        age = today.year - year
        relations = [] if suffix == NO_RELATION else self._relations(personal_id, age, today)
        status: MaritalStatus = "single"
        if suffix == MARRIED:
            status = "married"
            spouse_sex: Sex = "female" if sex == "male" else "male"
            spouse_year = max(1900, year + rng.randint(-4, 4))
            spouse = encode(province, spouse_year, spouse_sex, ordinary_serial(rng))
            relations.append(
                Relation(kind="spouse", personal_id=spouse, full_name=self.name(spouse))
            )
        elif age >= 18 and rng.random() < 0.3:
            # Ordinary citizens are never married: only the 997 suffix fails that check.
            status = "widowed" if rng.random() < 0.3 else "divorced"
        return Citizen(
            personal_id=personal_id,
            full_name=self.name(personal_id),
            birth_date=born,
            sex=sex,
            alive=suffix != DECEASED,
            marital_status=status,
            permanent_residence=self.address(personal_id),
            relations=relations,
            categories=self.categories(personal_id, age),
        )

    def categories(self, personal_id: str, age: int) -> list[str]:
        """The social-protection categories the registers hold: a student in two of 18-24 year
        olds, a poor household in one of twenty, a disability in one of thirty."""
        rng = self._rng(personal_id, "categories")
        student, poor, disabled = rng.random(), rng.random(), rng.random()
        drawn = [
            ("student", 18 <= age <= 24 and student < 0.5),
            ("poor_household", poor < 0.05),
            ("disabled", disabled < 1 / 30),
        ]
        return [name for name, holds in drawn if holds]

    def address(self, personal_id: str) -> Address:
        fake = self._draw(personal_id, "address")
        commune = f"{fake.random_element(('Phường', 'Xã'))} {fake.commune_name()}"
        province = PROVINCES.get(personal_id[:3]) or fake.random_element(list(PROVINCES.values()))
        return Address(line=fake.street_address(), commune=commune, province=province)

    def _relations(self, personal_id: str, age: int, today: date) -> list[Relation]:
        year, sex = decode(personal_id)
        rng = self._rng(personal_id, "family-tree")
        family = self.family_name(personal_id)
        found: list[tuple[Literal["father", "mother", "child"], str]] = []
        father_year, mother_year = year - rng.randint(22, 38), year - rng.randint(19, 35)
        if father_year >= 1900:
            found.append(("father", self._relative(rng, personal_id, father_year, "male", family)))
        if mother_year >= 1900:
            found.append(("mother", self._relative(rng, personal_id, mother_year, "female")))
        children = rng.choices((0, 1, 2, 3), weights=(25, 35, 30, 10))[0] if age >= 22 else 0
        if not found:
            children = max(children, 1)  # someone must vouch for a relationship
        for _ in range(children):
            child_year, child_sex = year + rng.randint(22, 38), rng.choice(_SEXES)
            if child_year > today.year:
                continue
            # A child carries the father's family name; a mother's child carries another one.
            child_family = family if sex == "male" else None
            child = self._relative(rng, personal_id, child_year, child_sex, child_family)
            found.append(("child", child))
        return [Relation(kind=k, personal_id=p, full_name=self.name(p)) for k, p in found]

    def _relative(
        self, rng: random.Random, of: str, year: int, sex: Sex, family: str | None = None
    ) -> str:
        """An ordinary ID born in ``year``; with ``family``, one whose record carries it."""
        candidate = of
        for _ in range(64):
            candidate = encode(of[:3], year, sex, ordinary_serial(rng))
            if family is None or self.family_name(candidate) == family:
                break
        return candidate

    def candidates(self) -> Iterator[str]:
        """Ordinary adults' personal IDs, the same sequence for the same seed."""
        rng = random.Random(f"{self.seed}:samples")
        codes = sorted(PROVINCES)
        while True:
            sex = rng.choice(_SEXES)
            yield encode(rng.choice(codes), rng.randint(1955, 2004), sex, ordinary_serial(rng))
