"""Synthetic applicants: Vietnamese names and well-formed 12-digit personal IDs."""

from __future__ import annotations

import random
from datetime import date

from motcua.dossier import Applicant

_FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
]
_MIDDLE = {
    "male": ["Văn", "Minh", "Đức", "Quang", "Hữu"],
    "female": ["Thị", "Ngọc", "Thu", "Thanh"],
}
_GIVEN = {
    "male": ["An", "Bình", "Dũng", "Hùng", "Khoa", "Nam", "Quân", "Sơn", "Tuấn", "Việt"],
    "female": ["Chi", "Hà", "Hạnh", "Lan", "Linh", "Mai", "Phương", "Trang", "Vy", "Yến"],
}
_PROVINCES = ["001", "079", "031", "048", "092"]  # Hà Nội, TP HCM, Hải Phòng, Đà Nẵng, Cần Thơ


def personal_id(rng: random.Random, *, sex: str, born: date, suffix: str | None = None) -> str:
    """Province code, sex-and-century digit, two-digit birth year, six random digits
    (Circular 59/2021/TT-BCA layout). ``suffix`` forces the last three digits, which the
    population simulator reads as not-found (000) or deceased (999)."""
    century = 0 if born.year < 2000 else 2
    sex_digit = century + (1 if sex == "female" else 0)
    tail = f"{rng.randrange(1_000_000):06d}"
    if suffix is not None:
        tail = tail[:3] + suffix
    return f"{rng.choice(_PROVINCES)}{sex_digit}{born.year % 100:02d}{tail}"


def applicant(rng: random.Random, *, adult: bool = True) -> Applicant:
    sex = rng.choice(["male", "female"])
    year = rng.randint(1955, 2004) if adult else rng.randint(2021, 2026)
    born = date(year, rng.randint(1, 12), rng.randint(1, 28))
    # One applicant in fifty is unknown to the population database: verification must say so.
    suffix = "000" if rng.random() < 0.02 else None
    categories = ["student"] if adult and year > 2002 and rng.random() < 0.5 else []
    return Applicant(
        personal_id=personal_id(rng, sex=sex, born=born, suffix=suffix),
        full_name=f"{rng.choice(_FAMILY)} {rng.choice(_MIDDLE[sex])} {rng.choice(_GIVEN[sex])}",
        birth_date=born,
        phone=f"09{rng.randrange(10**8):08d}",
        categories=categories,
    )
