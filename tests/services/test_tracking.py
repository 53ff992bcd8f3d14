"""The holder of a slip reads its dossier with the tracking key, and nothing without it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from motcua.services import dossier_by_tracking_key
from motcua.settings import Settings
from motcua.slips import tracking_key
from motcua.store import allocate_dossier_code, project
from tests.store.factories import Dossier


def test_only_the_tracking_key_opens_the_dossier(session: Session, tmp_path: Path) -> None:
    settings = Settings(environment="test", dev_mode=True, var_dir=tmp_path / "var")
    code = allocate_dossier_code(
        session,
        submission_id="sub-tracked",
        agency_code="commune-police",
        received_on=date(2026, 1, 15),
        applicant_id="001203004512",
    )
    project(session, events=[Dossier(code).submitted(handed_to="commune-police")])
    session.commit()
    key = tracking_key(settings, code)

    found = dossier_by_tracking_key(session, settings, code, key)
    assert found is not None and found.dossier_code == code
    assert dossier_by_tracking_key(session, settings, code, None) is None
    assert dossier_by_tracking_key(session, settings, code, "not-the-key") is None
    # An unknown code answers as a wrong key does, even with that code's own key.
    unknown = "000.00.01.H29-260115-9999"
    assert (
        dossier_by_tracking_key(session, settings, unknown, tracking_key(settings, unknown)) is None
    )
