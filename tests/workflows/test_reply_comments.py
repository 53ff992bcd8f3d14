"""A consulted agency's answer collected by polling its system: the text goes to the comments
table (for the dossier's officers only) and the ``consultation.replied`` event cites its id."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from temporalio.testing import WorkflowEnvironment

from motcua.definitions import Catalog
from motcua.dossier import ConsultationReplied
from motcua.store import CommentRow, list_events
from tests.workflows.harness import running_worker

JUDICIAL_RECORD = "2.000488"  # provincial police, consulting the provincial court's system


async def test_a_polled_reply_s_text_is_a_comment_the_event_cites(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    async with running_worker(dev_env, catalog, tmp_path) as h:
        dossier = await h.submit(JUDICIAL_RECORD)
        await h.decide(dossier, "receive", "accept")
        await h.pay(dossier)
        await h.decide(dossier, "checks", "agree", officer="commune-police-officer")
        status = await h.task(dossier, "review")
        code = (await dossier.status()).dossier_code
        with h.sessions() as session:
            events = list_events(session, code)
            comments = list(session.scalars(select(CommentRow)))
    assert status.step_id == "review"
    court = next(
        e for e in events if isinstance(e, ConsultationReplied) and e.branch == "court_records"
    )
    assert court.via == "poll" and court.comment_id == f"{code}/checks.court_records/reply"
    [answer] = [c for c in comments if c.comment_id == court.comment_id]
    # The court simulator's own words, kept for the officers and out of the log.
    assert answer.text is not None and "agreed: nothing on file" in answer.text
    assert (answer.kind, answer.citizen_visible) == ("consultation_reply", False)
    assert (answer.author_kind, answer.author_agencies) == ("service", ["provincial-court"])
    assert all(answer.text not in e.model_dump_json() for e in events)
