"""What a submission's code names in the catalog: one procedure, or a bundle of procedures.

The one place that looks a submission's code up and tells a bundle from a procedure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TypeVar
from zoneinfo import ZoneInfo

from motcua.definitions import Bundle, Catalog, Procedure
from motcua.engine._refusals import SubmissionRefused, UnknownProcedure

_D = TypeVar("_D", Procedure, Bundle)
FILING_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass(frozen=True)
class Target:
    """A procedure at its version, or a bundle with each member's procedure (each at the version
    in force).

    Attributes:
        procedures: By member id for a bundle; the lone procedure under its own code.
        bundle: The bundle, when the code names one.
    """

    procedures: dict[str, Procedure]
    bundle: Bundle | None = field(default=None)

    @property
    def code(self) -> str:
        return self.bundle.code if self.bundle else self.procedure.code

    @property
    def procedure(self) -> Procedure:
        """The lone procedure; for a bundle, its first member's."""
        return next(iter(self.procedures.values()))

    @property
    def _definitions(self) -> list[Bundle | Procedure]:
        """The bundle (when there is one) and then each procedure."""
        return [*([self.bundle] if self.bundle else []), *self.procedures.values()]

    @property
    def channels(self) -> list[str]:
        """The channels through which the bundle and every procedure in it are offered."""
        definitions = self._definitions
        return [c for c in definitions[0].channels if all(c in d.channels for d in definitions)]

    def check_channel(self, channel: str) -> None:
        """Raise ``SubmissionRefused`` unless the bundle and each procedure offer ``channel``."""
        for definition in self._definitions:
            if channel not in definition.channels:
                raise SubmissionRefused(
                    f"procedure {definition.code} is not offered through channel {channel!r}; "
                    f"channels: {', '.join(definition.channels)}"
                )

    @property
    def listed_documents(self) -> set[str]:
        """Ids of every document a procedure of the submission lists."""
        return {d.id for p in self.procedures.values() for d in p.documents}

    @property
    def citizen_documents(self) -> list[str]:
        """Ids of the listed documents the citizen brings (no database provides them)."""
        ids = (d.id for p in self.procedures.values() for d in p.documents if not d.replaced_by)
        return list(dict.fromkeys(ids))

    def workflow_id(self, submission_id: str) -> str:
        """The workflow a submission with this idempotency key runs as."""
        return f"{'bundle' if self.bundle else 'dossier'}-{submission_id}"


def filing_day() -> date:
    """Today in Vietnam: ``effective_from`` dates are Vietnamese days, not UTC ones."""
    return datetime.now(FILING_ZONE).date()


def resolve(
    catalog: Catalog, code: str, version: int | None = None, *, on: date | None = None
) -> Target:
    """Look ``code`` up as a bundle, then as a procedure, at the version in force on ``on``
    (default: :func:`filing_day`).

    A new dossier takes the version in force on the day it is filed (``effective_from``); a
    version asked for by number must be that one. Running dossiers are untouched: each carries
    the definition it was filed under.

    Raises:
        UnknownProcedure: Neither has this code, or the version asked for is not in force.
    """
    on = on or filing_day()
    try:
        bundle = _in_force(catalog.bundle_in_force, code, version, on, kind="bundle")
    except KeyError:
        return Target({code: _procedure(catalog, code, version, on)})
    return Target(
        {m.id: _procedure(catalog, m.procedure, None, on) for m in bundle.members}, bundle
    )


def _in_force(
    lookup: Callable[[str, date], _D], code: str, version: int | None, on: date, *, kind: str
) -> _D:
    """``lookup(code, on)``, refusing a version asked for by number that is not in force."""
    current = lookup(code, on)
    if version is not None and version != current.version:
        raise UnknownProcedure(
            f"{kind} {code} version {version} is not in force on {on.isoformat()}; "
            f"version {current.version} is: leave the version out to file under it",
            {"in_force": current.version},
        )
    return current


def _procedure(catalog: Catalog, code: str, version: int | None, on: date) -> Procedure:
    try:
        return _in_force(catalog.in_force, code, version, on, kind="procedure")
    except KeyError:
        pass
    known = catalog.codes()
    if code in known:
        dates = [p.effective_from for p in catalog.versions(code) if p.effective_from]
        start = min(dates).isoformat() if dates else "a later day"
        raise UnknownProcedure(
            f"procedure {code} is not in force yet on {on.isoformat()}; it takes effect on {start}",
            {"known": known},
        ) from None
    raise UnknownProcedure(
        f"unknown procedure {code}; known: {', '.join(known)}", {"known": known}
    ) from None
