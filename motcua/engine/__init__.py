"""Talking to the engine: connect to Temporal, file submissions, send officers' and citizens'
commands. The CLI, the demo and the API all go through here, never around it."""

from motcua.engine._dossier import CommandRefused, Dossier, connect, run_options
from motcua.engine._filing import file, submit
from motcua.engine._receipts import BundleReceipt, MemberReceipt, Receipt, SubmissionPending
from motcua.engine._refusals import (
    MissingDocuments,
    RequiredDocument,
    SubmissionRefused,
    UnknownProcedure,
    UnlistedDocument,
)
from motcua.engine._submission import Filing, Submission, check_documents, prepare, submission_key
from motcua.engine._target import FILING_ZONE, Target, filing_day, resolve

__all__ = [
    "FILING_ZONE",
    "BundleReceipt",
    "CommandRefused",
    "Dossier",
    "Filing",
    "MemberReceipt",
    "MissingDocuments",
    "Receipt",
    "RequiredDocument",
    "Submission",
    "SubmissionPending",
    "SubmissionRefused",
    "Target",
    "UnknownProcedure",
    "UnlistedDocument",
    "check_documents",
    "connect",
    "file",
    "filing_day",
    "prepare",
    "resolve",
    "run_options",
    "submission_key",
    "submit",
]
