"""What a definition's conditions (``required``, ``when``, ``exempt_when``) read of a dossier."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from motcua.dossier._inputs import Applicant


class VerifiedFacts(BaseModel):
    """What the population database holds of the applicant, as the verification step read it:
    the facts a fee exemption may rest on, in place of what the citizen typed."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    birth_date: date
    categories: list[str] = Field(
        default_factory=list, description="as the registers record them: poor_household, …"
    )


def _age(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def condition_context(
    applicant: Applicant,
    form: Mapping[str, Any],
    channel: str,
    *,
    today: date,
    verified: VerifiedFacts | None = None,
) -> dict[str, Any]:
    """The fields a condition sees: ``applicant.age``, ``applicant.categories``, ``form.*`` and
    ``dossier.channel``.

    Args:
        applicant: Who files the dossier; the age is null without a birth date.
        form: The form's fields as submitted.
        channel: online, counter or post.
        today: The date the age is counted on (the workflow passes its own clock's date).
        verified: The population database's facts, once the verification step has read them.
            They replace the typed birth date and categories: an exemption (``exempt_when:
            applicant.age < 6``) must rest on what the state records, not on what a citizen
            claims. Before verification (or in a procedure without one) the typed facts serve.

    Returns:
        Nested mappings for :func:`motcua.definitions.evaluate`.
    """
    if verified is not None:
        age: int | None = _age(verified.birth_date, today)
        categories = list(verified.categories)
    else:
        age = None if applicant.birth_date is None else _age(applicant.birth_date, today)
        categories = list(applicant.categories)
    return {
        "applicant": {"age": age, "categories": categories},
        "form": dict(form),
        "dossier": {"channel": channel},
    }
