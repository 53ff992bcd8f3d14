"""The comments table: a dossier's comments read by id, the applicant's share only for them,
and event rows logged before it (the text in the event itself) still readable, the text gone."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from motcua.dossier import EVENT_ADAPTER, event_row
from motcua.store import add_comment, make_engine, migrate, readable_comments, session_factory
from tests.store.factories import Dossier

CODE, OTHER = "000.00.01.H29-260115-0001", "000.00.01.H29-260115-0002"


def store(tmp_path: Path) -> sessionmaker[Session]:
    url = f"sqlite:///{tmp_path / 'motcua.db'}"
    migrate(url)
    return session_factory(make_engine(url))


def test_officers_read_every_comment_of_a_dossier_and_its_applicant_theirs(
    tmp_path: Path,
) -> None:
    sessions = store(tmp_path)
    with sessions.begin() as session:
        reasons = add_comment(
            session, dossier_code=CODE, kind="decision", text="no stamp",
            citizen_visible=True, author_kind="officer", author_id="lan",
            author_agencies=["commune-police"], token_jti="j-1",
        )  # fmt: skip
        answer = add_comment(
            session, dossier_code=CODE, kind="consultation_reply", text="records on file",
            citizen_visible=False, author_kind="service", author_id="court-records",
        )  # fmt: skip
        elsewhere = add_comment(
            session, dossier_code=OTHER, kind="withdrawal", text="moved",
            citizen_visible=True, author_kind="citizen",
        )  # fmt: skip
    ids = [reasons, answer, elsewhere]
    with sessions() as session:
        officer = readable_comments(session, CODE, ids, officer=True)
        citizen = readable_comments(session, CODE, ids, officer=False)
    assert {k: v.text for k, v in officer.items()} == {
        reasons: "no stamp",
        answer: "records on file",
    }  # another dossier's comment is not served through this one
    assert {k: v.text for k, v in citizen.items()} == {reasons: "no stamp"}
    assert officer[reasons].token_jti == "j-1" and officer[reasons].author_id == "lan"
    assert len(set(ids)) == 3 and all(i.startswith("cmt-") for i in ids)


def test_writing_a_comment_again_under_its_id_changes_nothing(tmp_path: Path) -> None:
    sessions = store(tmp_path)
    for text in ("agreed", "a retry's different text"):
        with sessions.begin() as session:
            add_comment(
                session, comment_id=f"{CODE}/checks.court/reply", dossier_code=CODE,
                kind="consultation_reply", text=text, citizen_visible=False,
                author_kind="service",
            )  # fmt: skip
    with sessions() as session:
        rows = readable_comments(session, CODE, [f"{CODE}/checks.court/reply"], officer=True)
    assert [row.text for row in rows.values()] == ["agreed"]


def test_rows_logged_with_their_text_still_parse_without_it() -> None:
    dossier = Dossier(CODE)
    for event_type, legacy in [
        ("dossier.withdrawn", {"reason": "moved to Hue"}),
        ("dossier.refused", {"reason": "population database: not found"}),
        ("consultation.replied", {"branch": "court", "comment": "one judgment on file"}),
    ]:
        row = event_row(
            dossier.event(event_type, **({"branch": "court"} if "branch" in legacy else {}))
        )
        fields = {k: v for k, v in row.items() if k != "data"} | row["data"] | legacy
        event = EVENT_ADAPTER.validate_python(fields)
        assert event.type == event_type
        assert "moved to Hue" not in event.model_dump_json()
        assert "one judgment" not in event.model_dump_json()
        assert "not found" not in event.model_dump_json()
