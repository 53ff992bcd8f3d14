"""A submission checked against the catalog and the procedure's document list, ready to start.

``prepare`` is pure: it derives the workflow id and input, or refuses the submission before
anything starts, so the API can claim its idempotency key for that workflow id first.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from motcua.definitions import Catalog, Procedure, evaluate
from motcua.dossier import (
    Applicant,
    BundleInput,
    DossierInput,
    RunOptions,
    SubmittedDocument,
    condition_context,
)
from motcua.engine._refusals import MissingDocuments, RequiredDocument, UnlistedDocument
from motcua.engine._target import Target, filing_day, resolve


class Submission(BaseModel):
    """What a portal, a counter officer or the CLI files."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    procedure: str = Field(description="Procedure (or bundle) code, e.g. 1.004222")
    version: int | None = Field(
        default=None, description="The version in force when absent; if given, it must be that one"
    )
    channel: Literal["online", "counter", "post"] = "online"
    applicant: Applicant
    form: dict[str, Any] = Field(default_factory=dict)
    documents: list[SubmittedDocument] = Field(default_factory=list)
    submission_id: str | None = Field(
        default=None, description="Idempotency key: the same key twice is one dossier"
    )
    about_dossier: str | None = Field(
        default=None, description="Feedback (PAKN) about a dossier: that dossier's code"
    )
    comment_id: str | None = Field(
        default=None,
        description="What the citizen wrote with it (a feedback's words), stored first",
    )


@dataclass(frozen=True)
class Filing:
    """A checked submission: the workflow it runs as, and that workflow's input."""

    workflow_id: str
    input: DossierInput | BundleInput


def submission_key(submission: Submission) -> str:
    """The submission's idempotency key, or a digest of its content when it has none."""
    if submission.submission_id:
        return submission.submission_id
    return hashlib.sha256(submission.model_dump_json().encode()).hexdigest()[:32]


def prepare(
    catalog: Catalog, submission: Submission, options: RunOptions, *, today: date | None = None
) -> Filing:
    """Check ``submission`` and derive the workflow that files it.

    Args:
        catalog: The definitions; the submission's procedure is looked up here, once.
        submission: What was filed.
        options: Engine parameters to pin into the dossier(s).
        today: The filing day (default: today in Vietnam): the version in force on it is the
            one the dossier takes, and ages in ``required`` conditions are counted on it.

    Returns:
        The workflow id (``dossier-{key}`` or ``bundle-{key}``) and its input.

    Raises:
        UnknownProcedure: No procedure or bundle has the code, or the version asked for is not
            the one in force.
        SubmissionRefused: The channel is not offered.
        UnlistedDocument: A document the procedure does not list.
        MissingDocuments: A required document (conditions evaluated) is not in the submission.
    """
    # The filing day in Vietnam picks the version in force (effective_from is a Vietnamese date)
    # and is the day ages in ``required`` conditions are counted on.
    today = today or filing_day()
    target = resolve(catalog, submission.procedure, submission.version, on=today)
    target.check_channel(submission.channel)
    listed = target.listed_documents
    for document in submission.documents:
        if document.id not in listed:
            raise UnlistedDocument(
                f"document {document.id!r} is not listed by the procedure; listed: "
                f"{', '.join(sorted(listed)) or 'none'}",
                {"document": document.id},
            )
    check_documents(target, submission, today)
    key = submission_key(submission)
    if target.bundle is None:
        data = _dossier_input(catalog, target.procedure, submission, key, options)
        return Filing(target.workflow_id(key), data)
    # Members finish when decided: a dependent member must not wait for the rating window.
    member_options = options.model_copy(update={"rating_window": timedelta(0)})
    members = {
        member_id: _dossier_input(catalog, proc, submission, f"{key}.{member_id}", member_options)
        for member_id, proc in target.procedures.items()
    }
    bundle = BundleInput(submission_id=key, bundle=target.bundle, members=members)
    return Filing(target.workflow_id(key), bundle)


def check_documents(target: Target, submission: Submission, today: date) -> None:
    """Raise ``MissingDocuments`` listing each document a procedure of ``target`` requires
    that the submission does not carry.

    A document is required when its ``required`` is true or a condition that holds on this
    submission; one a database provides (``replaced_by``) is never required from the citizen.
    """
    given = {d.id for d in submission.documents}
    context = condition_context(
        submission.applicant, submission.form, submission.channel, today=today
    )
    missing: dict[str, RequiredDocument] = {}
    for procedure in target.procedures.values():
        for document in procedure.documents:
            required = document.required
            if document.replaced_by or document.id in given or document.id in missing:
                continue
            if required is True or (isinstance(required, str) and evaluate(required, context)):
                missing[document.id] = RequiredDocument(document.id, document.name, procedure.code)
    if missing:
        raise MissingDocuments(list(missing.values()))


def _dossier_input(
    catalog: Catalog,
    procedure: Procedure,
    submission: Submission,
    submission_id: str,
    options: RunOptions,
) -> DossierInput:
    assert catalog.registry is not None  # a loaded catalog always has one
    listed = {d.id for d in procedure.documents}
    return DossierInput(
        submission_id=submission_id,
        procedure=procedure,
        agency_code=catalog.registry.agency(procedure.agency).code,
        channel=submission.channel,
        applicant=submission.applicant,
        form=submission.form,
        # A bundle member carries the documents its own procedure lists.
        documents=[d for d in submission.documents if d.id in listed],
        options=options,
        about_dossier=submission.about_dossier,
        comment_id=submission.comment_id,
    )
