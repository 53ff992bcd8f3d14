"""Checking a submission before anything starts: the one lookup, the channel, the document list
and the documents a procedure requires, conditions evaluated."""

from __future__ import annotations

from datetime import date

import pytest

from motcua.definitions import Catalog, Document
from motcua.dossier import Applicant, BundleInput, RunOptions, SubmittedDocument
from motcua.engine import (
    MissingDocuments,
    Submission,
    SubmissionRefused,
    Target,
    UnknownProcedure,
    UnlistedDocument,
    check_documents,
    prepare,
    resolve,
)

ADULT = Applicant(personal_id="001203004512", full_name="Lan", birth_date=date(1990, 5, 17))
TODAY = date(2026, 5, 31)


def submission(procedure: str, *documents: str, **fields: object) -> Submission:
    return Submission.model_validate(
        {
            "procedure": procedure,
            "applicant": ADULT,
            "documents": [SubmittedDocument(id=d) for d in documents],
            "submission_id": "k-1",
            **fields,
        }
    )


def missing(catalog: Catalog, filed: Submission) -> list[str]:
    target = resolve(catalog, filed.procedure, filed.version)
    with pytest.raises(MissingDocuments) as refused:
        check_documents(target, filed, TODAY)
    return refused.value.details["missing"]


def test_required_documents_are_those_the_citizen_brings(catalog: Catalog) -> None:
    assert missing(catalog, submission("1.004222")) == ["ct01"]
    # Proof of relationship is required of one who joins a household, but the population
    # database provides it; proof of lawful residence comes from the land registry.
    joins = submission("1.004222", form={"joins_household": True})
    assert missing(catalog, joins) == ["ct01"]
    several = submission("1.001612", "registration_form", form={"members_count": 2})
    assert missing(catalog, several) == ["members_minutes"]
    for complete in (
        submission("1.004222", "ct01", form={"joins_household": True}),
        submission("1.001612", "registration_form", form={"members_count": 1}),
        submission("1.001612", "registration_form"),  # no count: the condition is false
        submission("1.001193", "declaration", form={"parents_married": True}),
    ):
        target = resolve(catalog, complete.procedure)
        check_documents(target, complete, TODAY)


def test_conditions_read_the_age_categories_and_channel(catalog: Catalog) -> None:
    residence = catalog.latest("1.004222")
    conditional = [
        Document(id="guardian_consent", name="Guardian's consent", required="applicant.age < 18"),
        Document(
            id="poverty_proof", name="Poor household", required="'poor' in applicant.categories"
        ),
        Document(id="envelope", name="Stamped envelope", required="dossier.channel == 'post'"),
    ]
    target = Target({"r": residence.model_copy(update={"documents": conditional})})

    def required(applicant: Applicant, channel: str = "online", today: date = TODAY) -> list[str]:
        filed = submission("1.004222", applicant=applicant, channel=channel)
        try:
            check_documents(target, filed, today)
        except MissingDocuments as refused:
            return [d.id for d in refused.missing]
        return []

    child = ADULT.model_copy(update={"birth_date": date(2008, 6, 1)})
    assert required(child) == ["guardian_consent"]
    assert required(child, today=date(2026, 6, 1)) == []  # eighteen on the day
    assert required(ADULT.model_copy(update={"birth_date": None})) == []  # age unknown
    assert required(ADULT.model_copy(update={"categories": ["poor"]})) == ["poverty_proof"]
    assert required(ADULT, channel="post") == ["envelope"]


def test_the_message_names_each_missing_document_and_its_procedure(catalog: Catalog) -> None:
    with pytest.raises(MissingDocuments) as refused:
        prepare(catalog, submission("3.000722"), RunOptions(), today=TODAY)
    assert isinstance(refused.value, ValueError)  # the CLI prints it as any bad input
    assert [(d.id, d.procedure) for d in refused.value.missing] == [
        ("declaration", "1.001193"),
        ("ct01", "1.004222"),
    ]
    assert refused.value.code == "missing_documents"
    assert "declaration (" in str(refused.value) and "for procedure 1.004222" in str(refused.value)


def test_prepare_derives_the_workflow_and_refuses_before_anything_starts(
    catalog: Catalog,
) -> None:
    filing = prepare(catalog, submission("1.004222", "ct01"), RunOptions(), today=TODAY)
    assert filing.workflow_id == "dossier-k-1"

    group = prepare(
        catalog, submission("3.000722", "declaration", "ct01"), RunOptions(), today=TODAY
    )
    assert group.workflow_id == "bundle-k-1" and isinstance(group.input, BundleInput)
    # Each member carries the documents its own procedure lists, under its own key.
    members = group.input.members
    assert {m: [d.id for d in data.documents] for m, data in members.items()} == {
        "birth": ["declaration"],
        "residence": ["ct01"],
        "insurance": ["declaration"],
    }
    assert members["residence"].submission_id == "k-1.residence"

    with pytest.raises(UnknownProcedure) as unknown:
        prepare(catalog, submission("9.999999"), RunOptions())
    assert "1.004222" in unknown.value.details["known"]
    with pytest.raises(UnknownProcedure):
        prepare(catalog, submission("1.004222", "ct01", version=99), RunOptions())
    assert resolve(catalog, "3.000722").channels == ["online"]
    with pytest.raises(SubmissionRefused, match="not offered through channel 'counter'"):
        prepare(
            catalog, submission("3.000722", "declaration", "ct01", channel="counter"), RunOptions()
        )
    with pytest.raises(UnlistedDocument, match="'passport' is not listed"):
        prepare(catalog, submission("1.004222", "ct01", "passport"), RunOptions())
