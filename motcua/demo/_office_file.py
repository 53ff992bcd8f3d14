"""The demo office file (``office.yaml``): officers, service times, outcome rates, arrivals,
procedure mix and citizens' behaviour, as strict models; and ``role@agency=N`` overrides."""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from motcua.definitions import Registry

DEFAULT_OFFICE = Path(__file__).with_name("office.yaml")


class OfficeFileError(ValueError):
    """The office file or an ``--officers`` value cannot be used; the message says why."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Lognormal(_Model):
    """A lognormal duration: half the draws fall under ``median``; ``sigma`` is the standard
    deviation of the logarithm (0 gives the median every time)."""

    median: float = Field(gt=0)
    sigma: float = Field(ge=0)

    def draw(self, rng: random.Random) -> float:
        return self.median * math.exp(rng.gauss(0, self.sigma))


class Arrivals(_Model):
    per_working_day: float = Field(gt=0)
    online_share: float = Field(ge=0, le=1)
    weekday: tuple[float, ...] = Field(min_length=7, max_length=7)
    online_hours: tuple[float, ...] = Field(min_length=24, max_length=24)


class Citizens(_Model):
    pay_hours: Lognormal
    never_pay: float = Field(ge=0, le=1)
    supplement_hours: Lognormal
    never_supplement: float = Field(ge=0, le=1)
    rate_hours: Lognormal
    rate_share: float = Field(ge=0, le=1)
    complaint_share: float = Field(ge=0, le=1)
    withdraw_share: float = Field(ge=0, le=1)


class OfficeFile(_Model):
    """Every parameter of the demo office; ``office.yaml`` says where each comes from."""

    officers: dict[str, int]
    service_minutes: dict[str, Lognormal]
    outcomes: dict[str, dict[str, float]]
    arrivals: Arrivals
    mix: dict[str, float]
    citizens: Citizens

    @field_validator("officers")
    @classmethod
    def _counts(cls, value: dict[str, int]) -> dict[str, int]:
        for pool, count in value.items():
            if pool != "default" and "@" not in pool:
                raise ValueError(f"officers: {pool!r} is not role@agency")
            if count < 1:
                raise ValueError(f"officers: {pool} needs at least one officer")
        return value

    @field_validator("service_minutes")
    @classmethod
    def _has_other(cls, value: dict[str, Lognormal]) -> dict[str, Lognormal]:
        if "other" not in value:
            raise ValueError("service_minutes: give 'other', for task kinds not listed")
        return value

    @field_validator("outcomes")
    @classmethod
    def _rates(cls, value: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
        for kind, rates in value.items():
            if any(p < 0 for p in rates.values()) or sum(rates.values()) > 1:
                raise ValueError(f"outcomes.{kind}: rates must be >= 0 and add up to <= 1")
        return value

    def officer_count(self, role: str, agency: str) -> int:
        return self.officers.get(f"{role}@{agency}", self.officers.get("default", 1))

    def service(self, kind: str) -> Lognormal:
        return self.service_minutes.get(kind, self.service_minutes["other"])

    def with_officers(self, overrides: Mapping[str, int]) -> OfficeFile:
        """This office with the officer counts in ``overrides`` (``role@agency`` → count)."""
        return self.model_copy(update={"officers": {**self.officers, **overrides}})


def load_office(path: Path | None = None) -> OfficeFile:
    """Read and check an office file (the packaged ``office.yaml`` when ``path`` is None)."""
    path = path or DEFAULT_OFFICE
    try:
        data = YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))
        return OfficeFile.model_validate(data)
    except OSError as error:
        raise OfficeFileError(f"cannot read the office file {path}: {error.strerror}") from None
    except YAMLError as error:
        raise OfficeFileError(f"{path} is not YAML: {error}") from None
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise OfficeFileError(f"{path}: {where}: {first['msg']}") from None


def parse_officers(values: Iterable[str]) -> dict[str, int]:
    """``["one-stop-officer@commune-pc=3"]`` → ``{"one-stop-officer@commune-pc": 3}``."""
    counts: dict[str, int] = {}
    for value in values:
        pool, _, count = value.partition("=")
        if "@" not in pool or not count.isdigit() or int(count) < 1:
            raise OfficeFileError(
                f"--officers {value!r}: write role@agency=N with N >= 1, "
                "e.g. one-stop-officer@commune-pc=3"
            )
        counts[pool.strip()] = int(count)
    return counts


def check_pools(office: OfficeFile, registry: Registry | None) -> None:
    """Every ``role@agency`` the office names is a role of that agency in ``registry.yaml``."""
    if registry is None:
        return
    for pool in office.officers:
        if pool == "default":
            continue
        role, _, agency = pool.partition("@")
        known = registry.agencies.get(agency)
        if known is None or role not in known.roles:
            choices = ", ".join(
                f"{r}@{a}" for a, entry in sorted(registry.agencies.items()) for r in entry.roles
            )
            raise OfficeFileError(f"officers: no {pool} in the registry; choose from {choices}")
