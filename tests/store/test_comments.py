"""The comments table: a comment written again under its id is kept as first written, and event
rows logged before it (the text in the event itself) still readable, the text gone. Who reads
which comment is the service layer's (tests/services/test_visibility.py)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from motcua.dossier import EVENT_ADAPTER, event_row
from motcua.store import CommentRow, add_comment, make_engine, migrate, session_factory
from tests.store.factories import Dossier

CODE, OTHER = "000.00.01.H29-260115-0001", "000.00.01.H29-260115-0002"


def store(tmp_path: Path) -> sessionmaker[Session]:
    url = f"sqlite:///{tmp_path / 'motcua.db'}"
    migrate(url)
    return session_factory(make_engine(url))


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
        row = session.get(CommentRow, f"{CODE}/checks.court/reply")
    assert row is not None and row.text == "agreed"


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
