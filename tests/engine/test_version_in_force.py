"""A new dossier takes the version of its procedure in force on the day it is filed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from motcua.definitions import load_catalog
from motcua.dossier import Applicant, DossierInput, RunOptions, SubmittedDocument
from motcua.engine import Submission, UnknownProcedure, prepare
from tests.definitions._helpers import procedure, versioned

ADULT = Applicant(personal_id="001203004512", full_name="Lan", birth_date=date(1990, 5, 17))


def _filed(directory: Path, on: date, version: int | None = None) -> int:
    catalog = load_catalog(directory)
    submission = Submission(
        procedure="9.000001",
        version=version,
        applicant=ADULT,
        documents=[SubmittedDocument(id="form")],
        submission_id=f"k-{on}",
    )
    filing = prepare(catalog, submission, RunOptions(), today=on)
    assert isinstance(filing.input, DossierInput)
    return filing.input.procedure.version


def test_a_dossier_takes_the_version_in_force_on_its_filing_day(tmp_path: Path) -> None:
    procedure(tmp_path, versioned(1, None), name="v1.yaml")
    procedure(tmp_path, versioned(2, "2027-01-01"), name="v2.yaml")
    procedure(tmp_path, versioned(3, None), name="v3_draft.yaml")
    assert _filed(tmp_path, date(2026, 12, 31)) == 1
    assert _filed(tmp_path, date(2027, 1, 1)) == 2  # never the draft, though it is higher


def test_asking_for_a_version_not_in_force_is_refused_saying_which_is(tmp_path: Path) -> None:
    procedure(tmp_path, versioned(1, None), name="v1.yaml")
    procedure(tmp_path, versioned(2, "2027-01-01"), name="v2.yaml")
    assert _filed(tmp_path, date(2027, 2, 1), version=2) == 2
    with pytest.raises(
        UnknownProcedure, match="version 1 is not in force on 2027-02-01; version 2"
    ):
        _filed(tmp_path, date(2027, 2, 1), version=1)


def test_a_procedure_not_yet_in_force_says_when_it_will_be(tmp_path: Path) -> None:
    procedure(tmp_path, versioned(1, "2027-01-01"), name="v1.yaml")
    with pytest.raises(
        UnknownProcedure, match="not in force yet on 2026-12-01; it takes effect on 2027-01-01"
    ):
        _filed(tmp_path, date(2026, 12, 1))
