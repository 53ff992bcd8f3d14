"""Dossier codes: agency code + receipt date + daily sequence, once per submission."""

from __future__ import annotations

import threading
from datetime import date

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from motcua.store import allocate_dossier_code, session_factory

AGENCY = "000.00.01.H29"
DAY = date(2026, 1, 15)


def test_the_daily_sequence_increments(session: Session) -> None:
    codes = [
        allocate_dossier_code(session, submission_id=f"s-{i}", agency_code=AGENCY, received_on=DAY)
        for i in range(3)
    ]
    session.commit()
    assert codes == [
        "000.00.01.H29-260115-0001",
        "000.00.01.H29-260115-0002",
        "000.00.01.H29-260115-0003",
    ]


def test_the_sequence_restarts_the_next_day(session: Session) -> None:
    allocate_dossier_code(session, submission_id="a", agency_code=AGENCY, received_on=DAY)
    allocate_dossier_code(session, submission_id="b", agency_code=AGENCY, received_on=DAY)
    next_day = allocate_dossier_code(
        session, submission_id="c", agency_code=AGENCY, received_on=date(2026, 1, 16)
    )
    assert next_day == "000.00.01.H29-260116-0001"


def test_agencies_count_independently(session: Session) -> None:
    allocate_dossier_code(session, submission_id="a", agency_code=AGENCY, received_on=DAY)
    other = allocate_dossier_code(
        session, submission_id="b", agency_code="000.00.02.H29", received_on=DAY
    )
    assert other == "000.00.02.H29-260115-0001"


def test_the_same_submission_keeps_its_code(engine: Engine) -> None:
    factory = session_factory(engine)
    with factory() as session:
        first = allocate_dossier_code(
            session, submission_id="portal-42", agency_code=AGENCY, received_on=DAY
        )
        session.commit()
    with factory() as session:
        again = allocate_dossier_code(
            session, submission_id="portal-42", agency_code=AGENCY, received_on=DAY
        )
        other = allocate_dossier_code(
            session, submission_id="portal-43", agency_code=AGENCY, received_on=DAY
        )
        session.commit()
    assert again == first == "000.00.01.H29-260115-0001"
    assert other == "000.00.01.H29-260115-0002"


def test_concurrent_callers_get_distinct_codes(engine: Engine) -> None:
    factory = session_factory(engine)
    threads, per_thread = 6, 5
    codes: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(threads)

    def work(worker: int) -> None:
        try:
            start.wait()
            for i in range(per_thread):
                with factory() as session:
                    code = allocate_dossier_code(
                        session,
                        submission_id=f"w{worker}-{i}",
                        agency_code=AGENCY,
                        received_on=DAY,
                    )
                    session.commit()
                with lock:
                    codes.append(code)
        except BaseException as error:
            errors.append(error)

    pool = [threading.Thread(target=work, args=(w,)) for w in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(timeout=120)
    assert errors == []
    assert sorted(codes) == [
        f"000.00.01.H29-260115-{n:04d}" for n in range(1, threads * per_thread + 1)
    ]
