"""What a definition's conditions (``required``, ``when``, ``exempt_when``) read of a dossier."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from motcua.dossier._inputs import Applicant


def condition_context(
    applicant: Applicant, form: Mapping[str, Any], channel: str, *, today: date
) -> dict[str, Any]:
    """The fields a condition sees: ``applicant.age``, ``applicant.categories``, ``form.*`` and
    ``dossier.channel``.

    Args:
        applicant: Who files the dossier; the age is null without a birth date.
        form: The form's fields as submitted.
        channel: online, counter or post.
        today: The date the age is counted on (the workflow passes its own clock's date).

    Returns:
        Nested mappings for :func:`motcua.definitions.evaluate`.
    """
    age = None
    if applicant.birth_date is not None:
        born = applicant.birth_date
        age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    return {
        "applicant": {"age": age, "categories": list(applicant.categories)},
        "form": dict(form),
        "dossier": {"channel": channel},
    }
