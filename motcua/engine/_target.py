"""What a submission's code names in the catalog: one procedure, or a bundle of procedures.

The one place that looks a submission's code up and tells a bundle from a procedure.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from motcua.definitions import Bundle, Catalog, Procedure
from motcua.engine._refusals import SubmissionRefused, UnknownProcedure


@dataclass(frozen=True)
class Target:
    """A procedure at its version, or a bundle with each member's procedure (latest version).

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


def resolve(catalog: Catalog, code: str, version: int | None = None) -> Target:
    """Look ``code`` up as a bundle, then as a procedure.

    Raises:
        UnknownProcedure: Neither has this code (at ``version``).
    """
    try:
        bundle = catalog.bundle(code, version)
    except KeyError:
        return Target({code: _procedure(catalog, code, version)})
    return Target({m.id: _procedure(catalog, m.procedure, None) for m in bundle.members}, bundle)


def _procedure(catalog: Catalog, code: str, version: int | None) -> Procedure:
    try:
        return catalog.get(code, version) if version is not None else catalog.latest(code)
    except KeyError:
        known = catalog.codes()
        suffix = f" version {version}" if version is not None else ""
        raise UnknownProcedure(
            f"unknown procedure {code}{suffix}; known: {', '.join(known)}", {"known": known}
        ) from None
