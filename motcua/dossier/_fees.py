"""The fee reference of a dossier: the one name the engine, the payment platform and the API use.

The reference is derived from the dossier code alone, so it is known from submission on: the API
can route a payment callback to its dossier before the fee request reaches the read model. Pure
functions, safe to import in workflow code.
"""

from __future__ import annotations

_FEE_SUFFIX = "-FEE"


def fee_reference(dossier_code: str) -> str:
    """Return the payment reference of a dossier's fee.

    Args:
        dossier_code: The dossier code, e.g. ``000.00.01.H29-260115-0001``.

    Returns:
        The reference, e.g. ``000.00.01.H29-260115-0001-FEE``.
    """
    return f"{dossier_code}{_FEE_SUFFIX}"


def dossier_of_fee_reference(reference: str) -> str | None:
    """Return the dossier code a fee reference names, or ``None`` when it is not one.

    The inverse of :func:`fee_reference`. It says nothing about whether the dossier exists.

    Args:
        reference: A payment reference, as a payment callback carries it.

    Returns:
        The dossier code, or ``None`` for a reference that is not of the form ``<code>-FEE``.
    """
    if not reference.endswith(_FEE_SUFFIX):
        return None
    code = reference.removesuffix(_FEE_SUFFIX)
    return code or None
