"""Who sees what, through the service layer: each function returns only the caller's rows."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from motcua.services import (
    Citizen,
    Officer,
    Service,
    control_sheet,
    dossier_view,
    officer_inbox,
    visible_comments,
    visible_dossier,
    visible_task,
)
from motcua.store import add_comment, allocate_dossier_code, project
from tests.store.factories import T0, Dossier

OWNER, OTHER = "001203004512", "079204001234"
POLICE = Officer(id="lan", roles=["residence-officer"], agencies=["commune-police"])
ELSEWHERE = Officer(id="binh", roles=["residence-officer"], agencies=["ward-police"])


def _filed(session: Session, applicant: str, *, agency: str = "commune-police") -> Dossier:
    code = allocate_dossier_code(
        session,
        submission_id=f"sub-{applicant}-{agency}",
        agency_code=agency,
        received_on=date(2026, 1, 15),
        applicant_id=applicant,
    )
    dossier = Dossier(code, agency=agency)
    project(session, events=[dossier.submitted(handed_to=agency)])
    return dossier


def test_an_officer_of_another_agency_sees_nothing(session: Session) -> None:
    dossier = _filed(session, OWNER)
    project(session, events=dossier.task("review", "residence-officer"))
    session.commit()
    assert visible_dossier(session, POLICE, dossier.code) is not None
    assert visible_dossier(session, ELSEWHERE, dossier.code) is None
    assert dossier_view(session, ELSEWHERE, dossier.code) is None
    assert control_sheet(session, ELSEWHERE, dossier.code) is None
    assert visible_task(session, ELSEWHERE, f"{dossier.code}:review") is None
    assert visible_task(session, POLICE, f"{dossier.code}:review") is not None


def test_a_citizen_sees_only_their_own_dossiers(session: Session) -> None:
    mine, theirs = _filed(session, OWNER), _filed(session, OTHER)
    session.commit()
    me = Citizen(personal_id=OWNER)
    assert visible_dossier(session, me, mine.code) is not None
    assert visible_dossier(session, me, theirs.code) is None
    assert visible_dossier(session, me, "000.00.00.H29-260115-9999") is None
    # A portal's or agency's system reads no dossier through the officers' and citizens' reads.
    portal = Service(id="portal", scopes=["portal"], agencies=["commune-police"])
    assert visible_dossier(session, portal, mine.code) is None


def test_a_consulted_agency_sees_the_dossier_until_it_has_replied(session: Session) -> None:
    dossier = _filed(session, OWNER)
    consulted = Officer(id="thu", roles=["tax-officer"], agencies=["tax"])
    task = {"task_id": f"{dossier.code}:tax", "task_agency": "tax", "role": "tax-officer"}
    project(session, events=[dossier.event("task.created", step_id="consult", **task)])
    session.commit()
    assert visible_dossier(session, consulted, dossier.code) is not None
    decided = dossier.event(
        "task.decided",
        step_id="consult",
        outcome="agree",
        duration_seconds=60,
        actor_id="thu",
        task_id=task["task_id"],
        task_agency="tax",
    )
    project(session, events=[decided])
    session.commit()
    assert visible_dossier(session, consulted, dossier.code) is None


def test_the_inbox_holds_the_officers_scope_only(session: Session) -> None:
    here, there = _filed(session, OWNER), _filed(session, OTHER, agency="ward-police")
    for dossier in (here, there):
        task = {"task_id": f"{dossier.code}:review", "task_agency": dossier.agency}
        created = dossier.event(
            "task.created",
            step_id="review",
            role="residence-officer",
            due_at=T0 + timedelta(days=1),
            **task,
        )
        project(session, events=[created])
    session.commit()
    rows, total = officer_inbox(session, POLICE)
    assert total == 1 and [task.dossier_code for task, _ in rows] == [here.code]
    # Narrowing to an agency outside the scope widens nothing.
    rows, total = officer_inbox(session, POLICE, agencies=["ward-police"])
    assert (rows, total) == ([], 0)


def test_the_control_sheet_lists_every_hand_off_with_its_timeliness(session: Session) -> None:
    dossier = _filed(session, OWNER)
    task = {"task_id": f"{dossier.code}:review", "task_agency": dossier.agency}
    due = T0 + timedelta(days=2)
    created = dossier.event(
        "task.created",
        step_id="review",
        role="residence-officer",
        handed_from="commune-police",
        handed_to="residence-officer@commune-police",
        due_at=due,
        **task,
    )
    decided = dossier.event(
        "task.decided",
        step_id="review",
        outcome="approve",
        duration_seconds=300,
        actor_id="lan",
        actor_role="residence-officer",
        handed_from="residence-officer@commune-police",
        due_at=due,
        timeliness="early",
        **task,
    )
    project(session, events=[created, decided])
    session.commit()
    sheet = control_sheet(session, POLICE, dossier.code)
    assert sheet is not None
    assert [(h.handed_from, h.handed_to, h.timeliness) for h in sheet] == [
        ("citizen", "commune-police", None),
        ("commune-police", "residence-officer@commune-police", None),
        ("residence-officer@commune-police", None, "early"),
    ]
    assert sheet[-1].actor == "lan"  # officers see who; the applicant sees the role
    citizens = control_sheet(session, Citizen(personal_id=OWNER), dossier.code)
    assert citizens is not None and citizens[-1].actor == "residence-officer"


def test_officers_read_every_comment_of_a_dossier_and_its_applicant_theirs(
    session: Session,
) -> None:
    code, other = "000.00.01.H29-260115-0001", "000.00.01.H29-260115-0002"
    reasons = add_comment(
        session, dossier_code=code, kind="decision", text="no stamp",
        citizen_visible=True, author_kind="officer", author_id="lan",
        author_agencies=["commune-police"], token_jti="j-1",
    )  # fmt: skip
    answer = add_comment(
        session, dossier_code=code, kind="consultation_reply", text="records on file",
        citizen_visible=False, author_kind="service", author_id="court-records",
    )  # fmt: skip
    elsewhere = add_comment(
        session, dossier_code=other, kind="withdrawal", text="moved",
        citizen_visible=True, author_kind="citizen",
    )  # fmt: skip
    session.commit()
    ids = [reasons, answer, elsewhere]
    officer = visible_comments(session, code, ids, officer=True)
    citizen = visible_comments(session, code, ids, officer=False)
    assert {k: v.text for k, v in officer.items()} == {
        reasons: "no stamp",
        answer: "records on file",
    }  # another dossier's comment is not served through this one
    assert {k: v.text for k, v in citizen.items()} == {reasons: "no stamp"}
    assert officer[reasons].token_jti == "j-1" and officer[reasons].author_id == "lan"
    assert len(set(ids)) == 3 and all(i.startswith("cmt-") for i in ids)
