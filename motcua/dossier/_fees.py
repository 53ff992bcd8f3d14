"""The fee reference the engine gives a dossier's payment request, and its inverse: a payment
callback names the dossier it pays for before the request is even projected."""

from __future__ import annotations

_SUFFIX = "-FEE"


def fee_reference(dossier_code: str) -> str:
    return f"{dossier_code}{_SUFFIX}"


def dossier_of_fee_reference(reference: str) -> str | None:
    """The dossier code a fee reference was issued for, or None if it is not one of ours."""
    if not reference.endswith(_SUFFIX) or len(reference) == len(_SUFFIX):
        return None
    return reference.removesuffix(_SUFFIX)
