"""``CODE@VERSION`` references, as designers type them on the command line and in the API
(``1.001193@2``; a bare ``1.001193`` means the highest version)."""

from __future__ import annotations

from dataclasses import dataclass

from motcua.definitions._catalog import Catalog
from motcua.definitions._models import Procedure


@dataclass(frozen=True)
class ProcedureRef:
    code: str
    version: int | None = None

    def __str__(self) -> str:
        return self.code if self.version is None else f"{self.code}@{self.version}"


class BadReference(ValueError):
    """A reference that is not ``CODE`` or ``CODE@VERSION``, or names nothing in the catalog."""


def parse_ref(text: str) -> ProcedureRef:
    """``"1.001193@2"`` → ``ProcedureRef("1.001193", 2)``; raises ``BadReference`` with a hint."""
    code, at, version = text.strip().partition("@")
    if not code:
        raise BadReference(
            f"{text!r} names no procedure: write CODE or CODE@VERSION, e.g. 1.001193@2"
        )
    if not at:
        return ProcedureRef(code)
    if not version.isdigit() or int(version) < 1:
        raise BadReference(
            f"{text!r}: the version after '@' must be a whole number from 1, e.g. {code}@2"
        )
    return ProcedureRef(code, int(version))


def resolve_ref(catalog: Catalog, text: str) -> Procedure:
    """The procedure ``text`` names in ``catalog`` (the highest version when none is given)."""
    ref = parse_ref(text)
    try:
        return (
            catalog.latest(ref.code) if ref.version is None else catalog.get(ref.code, ref.version)
        )
    except KeyError:
        known = ", ".join(str(p.version) for p in catalog.procedures() if p.code == ref.code)
        hint = f"known versions: {known}" if known else "no procedure has this code"
        raise BadReference(f"{ref} is not in the catalog ({hint})") from None
