"""The building blocks of a procedure definition: names, identifiers, conditions, spans of
working time, deadlines, fees and documents (the steps are in :mod:`._steps`)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from motcua.definitions._expr import parse_condition

CURRENT_SCHEMA_VERSION = 2

Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
Slug = Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$", max_length=64)]
SourceName = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_-]*$", max_length=64)]
"""A data source in the registry, e.g. ``population`` or ``land_registry``."""


def _check_condition(text: str) -> str:
    parse_condition(text)  # raises ValueError with the position of the problem
    return text


Condition = Annotated[str, AfterValidator(_check_condition)]
"""A boolean expression over dossier fields, e.g. ``applicant.age < 6``; see ``_expr``."""

Channel = Literal["online", "counter", "post"]
Level = Literal["commune", "province", "ministry"]
Check = Literal["identity", "alive", "residence", "relationship", "marital_status"]
Delivery = Literal["e_data_store", "post", "counter"]
ReceiptOutcome = Literal["accept", "request_supplement", "refuse", "forward"]
ReviewOutcome = Literal["approve", "reject", "request_supplement"]
ApprovalOutcome = Literal["approve", "reject"]


class Strict(BaseModel):
    """Unknown keys are refused, and a validated definition is frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class LocalizedName(Strict):
    vi: str = Field(min_length=1)
    en: str = Field(min_length=1)


class WorkSpan(Strict):
    """A span of working time: working days, working hours, or the same working day.

    ``same_day`` means by the end of the receipt's working day, or of the next one when the
    dossier arrives after the cut-off (Decree 118/2025 Art. 18).
    """

    working_days: float | None = Field(default=None, gt=0)
    working_hours: float | None = Field(default=None, gt=0)
    same_day: bool = False

    @model_validator(mode="after")
    def _exactly_one(self) -> WorkSpan:
        given = [self.working_days is not None, self.working_hours is not None, self.same_day]
        if sum(given) != 1:
            raise ValueError("give exactly one of working_days, working_hours or same_day: true")
        return self

    @property
    def hours(self) -> float:
        """Length in working hours (8 a day), for summing SLAs against the deadline."""
        if self.working_hours is not None:
            return self.working_hours
        if self.working_days is not None:
            return self.working_days * 8
        return 8.0


class Deadline(WorkSpan):
    """The statutory deadline, counted from receipt of a complete, valid dossier."""

    extension_working_days: float | None = Field(
        default=None,
        gt=0,
        description="Length of the single extension announced with the apology (Art. 19.6); "
        "defaults to the engine setting when absent.",
    )
    reference: str | None = None


class FeeRate(Strict):
    """A reduced rate for applicants matching ``when`` (e.g. students)."""

    when: Condition
    online: int = Field(ge=0)
    counter: int = Field(ge=0)


class Fee(Strict):
    online: int = Field(ge=0, description="Amount in VND when filed online")
    counter: int = Field(ge=0, description="Amount in VND at the counter or by post")
    currency: Literal["VND"] = "VND"
    exempt_when: Condition | None = None
    reduced: list[FeeRate] = Field(default_factory=list)
    reference: str | None = None

    @property
    def is_free(self) -> bool:
        return self.online == 0 and self.counter == 0


class Document(Strict):
    id: Identifier
    name: str = Field(min_length=1)
    required: bool | Condition = True
    replaced_by: SourceName | None = Field(
        default=None,
        description="Data source that provides this document; it is never asked for "
        "(Decree 118/2025 Art. 17.1b).",
    )
