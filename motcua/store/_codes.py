"""Dossier code allocation: competent agency code + receipt date + daily sequence."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from motcua.store._tables import DossierCodeRow

_MAX_ATTEMPTS = 50


def format_dossier_code(agency_code: str, received_on: date, seq: int) -> str:
    """Return the dossier code, e.g. ``000.00.01.H29-260115-0001``."""
    return f"{agency_code}-{received_on:%y%m%d}-{seq:04d}"


def allocate_dossier_code(
    session: Session,
    *,
    submission_id: str,
    agency_code: str,
    received_on: date,
    applicant_id: str | None = None,
    workflow_id: str | None = None,
    bundle_id: str | None = None,
) -> str:
    """Allocate the next daily dossier code for an agency, once per submission.

    Idempotent: a submission that already has a code gets the same code back (and the record of
    the first call is kept). Safe under concurrent callers: a clash on the daily sequence is
    rolled back to a SAVEPOINT and the next number is tried. The caller commits.

    The allocation records who the dossier is for: the applicant's personal ID never enters the
    event log, so this record is where the dossier row's ``applicant_id`` comes from, in the
    projection and in a rebuild.

    Args:
        session: a writing session (an activity's).
        submission_id: the portal's idempotency key of the submission.
        agency_code: competent agency code, the code's prefix.
        received_on: receipt date in local (Vietnam) time; the sequence restarts each day.
        applicant_id: the citizen's personal ID (so a citizen can list their dossiers).
        workflow_id: the workflow that runs the dossier.
        bundle_id: the interconnected bundle the dossier belongs to.

    Returns:
        The dossier code.
    """
    for _ in range(_MAX_ATTEMPTS):
        existing = session.scalar(
            select(DossierCodeRow.code).where(DossierCodeRow.submission_id == submission_id)
        )
        if existing is not None:
            return existing
        last = session.scalar(
            select(func.max(DossierCodeRow.seq)).where(
                DossierCodeRow.agency_code == agency_code, DossierCodeRow.day == received_on
            )
        )
        seq = (last or 0) + 1
        code = format_dossier_code(agency_code, received_on, seq)
        row = DossierCodeRow(
            submission_id=submission_id,
            agency_code=agency_code,
            day=received_on,
            seq=seq,
            code=code,
            applicant_id=applicant_id,
            workflow_id=workflow_id,
            bundle_id=bundle_id,
        )
        try:
            with session.begin_nested():
                session.add(row)
        except IntegrityError:
            # Another caller took this sequence number (or this submission) first: look again.
            continue
        return code
    raise RuntimeError(
        f"could not allocate a dossier code for {agency_code} on {received_on} "
        f"after {_MAX_ATTEMPTS} attempts"
    )
