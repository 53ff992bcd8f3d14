"""Why a submission is refused before anything starts: each refusal names its rule (``code``)
and its facts (``details``), so the API answers them as a 422 and the CLI prints them."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


class SubmissionRefused(ValueError):
    """The catalog or the procedure's rules refuse the submission; nothing was started.

    Attributes:
        code: The rule, stable for API clients (``invalid_submission`` unless a subclass says).
        details: Small facts a client can act on, e.g. the missing document ids.
    """

    code = "invalid_submission"

    def __init__(self, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details: dict[str, Any] = details or {}


class UnknownProcedure(SubmissionRefused):
    """No procedure or bundle has this code (and version)."""

    code = "unknown_procedure"


class UnlistedDocument(SubmissionRefused):
    """A document the procedure (or every member of the bundle) does not list."""

    code = "unknown_document"


@dataclass(frozen=True)
class RequiredDocument:
    """A document a procedure requires from the citizen, as a refusal lists it."""

    id: str
    name: str
    procedure: str  # the procedure's code (a bundle member's, for a bundle)


class MissingDocuments(SubmissionRefused):
    """Documents the procedure requires from the citizen — conditions evaluated on this
    submission, documents a database provides excluded — that the submission does not carry."""

    code = "missing_documents"

    def __init__(self, missing: list[RequiredDocument]) -> None:
        listed = "; ".join(f"{d.id} ({d.name}) for procedure {d.procedure}" for d in missing)
        super().__init__(
            f"required documents are missing: {listed}",
            {"missing": [d.id for d in missing], "documents": [asdict(d) for d in missing]},
        )
        self.missing = missing
