"""National Population Database (Project 06 / VNeID): citizens, verification, change events.

Wire protocol of the reference HTTP adapter (JSON; errors as ``{"code", "message", "details"}``):

- ``GET  /v1/citizens/{personal_id}`` → :class:`Citizen`, 404 when unknown;
- ``POST /v1/verifications`` (:class:`VerifyRequest`) → :class:`VerifyAnswer`, 404 when unknown;
- ``GET  /v1/changes?after=N&limit=M`` → :class:`ChangeBatch`, events in cursor order.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

PersonalId = str  # 12 digits: province (3), century and sex (1), birth year (2), serial (6)
PERSONAL_ID_PATTERN = r"^\d{12}$"

Check = Literal["identity", "alive", "residence", "relationship", "marital_status"]


class Relation(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: Literal["father", "mother", "spouse", "child"]
    personal_id: str = Field(pattern=PERSONAL_ID_PATTERN)
    full_name: str


class Address(BaseModel):
    model_config = ConfigDict(frozen=True)

    line: str  # house number, street, hamlet
    commune: str
    province: str


class Citizen(BaseModel):
    model_config = ConfigDict(frozen=True)

    personal_id: str = Field(pattern=PERSONAL_ID_PATTERN)
    full_name: str
    birth_date: date
    sex: Literal["male", "female"]
    alive: bool = True
    marital_status: Literal["single", "married", "divorced", "widowed"] = "single"
    permanent_residence: Address
    relations: list[Relation] = Field(default_factory=list)
    categories: list[str] = Field(
        default_factory=list,
        description="social-protection categories the registers record (poor_household, "
        "disabled, student, …): what fee exemptions rest on",
    )


class VerifyRequest(BaseModel):
    model_config = ConfigDict(frozen=True)

    personal_id: str = Field(pattern=PERSONAL_ID_PATTERN)
    checks: list[str]
    full_name: str | None = None


class VerifyAnswer(BaseModel):
    """The database's answer; ``response_hash`` is kept as evidence, the answer itself is not."""

    model_config = ConfigDict(frozen=True)

    source: str
    ok: bool
    failed_checks: list[str] = Field(default_factory=list)
    reason: str | None = None
    response_hash: str
    answered_at: datetime


class PopulationChange(BaseModel):
    """A change the database announces: a death, a move, a marriage, a corrected record."""

    model_config = ConfigDict(frozen=True)

    cursor: int = Field(ge=1)
    personal_id: str = Field(pattern=PERSONAL_ID_PATTERN)
    kind: Literal["died", "moved", "married", "divorced", "corrected"]
    effective_on: date
    facts: dict[str, str] = Field(default_factory=dict)


class ChangeBatch(BaseModel):
    model_config = ConfigDict(frozen=True)

    changes: list[PopulationChange]
    next_cursor: int = Field(ge=0, description="Pass as ``after`` to read the following changes")


class PopulationData(Protocol):
    async def lookup(self, personal_id: str) -> Citizen:
        """The citizen's record; raise ``NotFound`` for an unknown personal ID."""
        ...

    async def verify(self, request: VerifyRequest) -> VerifyAnswer:
        """Verify the requested facts; raise ``NotFound`` for an unknown personal ID."""
        ...

    async def changes(self, after: int = 0, limit: int = 100) -> ChangeBatch:
        """Changes with a cursor greater than ``after``, oldest first."""
        ...
