"""The hand-built event log of the Decision 766 KPI tests (``test_kpis.py``), dossier by dossier.

Period: March 2026 (UTC), judged at ``NOW`` = 31/03 23:59. Procedures (``procedure_defs``):
birth 1.001193 and marriage 1.000894 (commune-pc, free; marriage has an in-person step, so it is
not eligible for full-process online); permanent residence 1.004222 (commune-police, fee 10,000
online). Every procedure has a population verify step and documents replaced by data sources.

commune-pc   A1 birth online fpo, due 05/03, e-data store, completed 04/03 early, rated 5
             A2 birth counter, submitted every replaceable document, no verification, due 06/03,
                delivered at the counter, completed 09/03 late, rated 2 (dislike)
             A3 marriage online, two supplement requests (1 day waiting each), e-data store,
                completed 16/03 late
             A4 birth online fpo, verified, due 25/03, still open: past due -> late
             A5 birth online fpo, submitted and completed in February: outside the period
             A6 birth online fpo, due 02/04, still open: on time
             A7 birth online, submitted 02/04: after the period
commune-police B1 online fpo, verified, paid, e-data store, completed 06/03 on time, complaint
             B2 counter, every document submitted but verified, fee exempted, by post, on time
             B3 online fpo, fee requested, withdrawn 06/03 (not in the on-time rate)
             B4 online fpo, verified, paid, supplement requested 17/03: clock stopped -> on time
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from motcua.analysis._feedback import FEEDBACK_INDICATORS
from motcua.dossier import EVENT_ADAPTER, Event, event_id

BIRTH, MARRIAGE, RESIDENCE = "1.001193", "1.000894", "1.004222"
AGENCY = {BIRTH: "commune-pc", MARRIAGE: "commune-pc", RESIDENCE: "commune-police"}
START, END = datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 3, 31, 23, 59, tzinfo=UTC)
Step = tuple[str, str, dict[str, Any]]


def at(when: str) -> datetime:
    """``"MM-DD HH"`` in 2026, UTC."""
    day, hour = when.split()
    month, dom = day.split("-")
    return datetime(2026, int(month), int(dom), int(hour), tzinfo=UTC)


def dossier(code: str, procedure: str, *steps: Step) -> list[Event]:
    return [
        EVENT_ADAPTER.validate_python(
            {
                "event_id": event_id(code, n),
                "workflow_id": code,
                "seq": n,
                "type": kind,
                "dossier_code": code,
                "procedure_code": procedure,
                "procedure_version": 1,
                "agency": AGENCY[procedure],
                "occurred_at": at(when),
                **fields,
            }
        )
        for n, (kind, when, fields) in enumerate(steps, 1)
    ]


def submitted(when: str, channel: str, fpo: bool, docs: list[str]) -> Step:
    facts = {"submission_id": "s", "documents": docs, "full_process_online": fpo}
    return "dossier.submitted", when, {"channel": channel, **facts}


def due(kind: str, when: str, due_at: str) -> Step:
    return kind, when, {"due_at": at(due_at)}


def event(kind: str, when: str, **fields: Any) -> Step:
    return kind, when, fields


def verified(when: str) -> Step:
    return event(
        "verification.completed", when, step_id="verify", evidence_id="EV", source="population",
        ok=True,
    )  # fmt: skip


def result(when: str, channel: str) -> list[Step]:
    return [
        event("result.issued", when, result_id="R", result_type="x", result_code="R-1"),
        event("result.delivered", when, result_id="R", delivery=channel),
    ]


def supplement(when: str, number: int) -> Step:
    return event(
        "dossier.supplement_requested", when, missing_documents=["x"], request_number=number
    )


def completed(when: str, timeliness: str) -> Step:
    return event("dossier.completed", when, timeliness=timeliness)


def rated(when: str, score: int, complaint: bool = False) -> Step:
    return event("dossier.rated", when, score=score, complaint=complaint)


ALL_BIRTH_DOCS = ["declaration", "birth_notice", "parents_ids", "marriage_certificate"]
ALL_RESIDENCE_DOCS = ["ct01", "lawful_residence", "relationship"]
LOG = [
    *dossier("A1", BIRTH, submitted("03-02 09", "online", True, ["declaration"]),
             due("dossier.accepted", "03-02 10", "03-05 17"), verified("03-02 11"),
             *result("03-04 09", "e_data_store"), completed("03-04 09", "early"),
             rated("03-04 10", 5)),
    *dossier("A2", BIRTH, submitted("03-03 09", "counter", False, ALL_BIRTH_DOCS),
             due("dossier.accepted", "03-03 10", "03-06 17"), *result("03-09 09", "counter"),
             completed("03-09 09", "late"), rated("03-09 10", 2)),
    *dossier("A3", MARRIAGE, submitted("03-10 09", "online", False, ["declaration"]),
             due("dossier.accepted", "03-10 10", "03-13 17"),
             event("deadline.stopped", "03-11 09"),
             supplement("03-11 09", 1),
             event("dossier.supplement_received", "03-12 09"),
             due("deadline.set", "03-12 09", "03-17 17"),
             event("deadline.stopped", "03-13 09"),
             supplement("03-13 09", 2),
             event("dossier.supplement_received", "03-14 09"),
             due("deadline.set", "03-14 09", "03-18 17"), verified("03-14 10"),
             *result("03-16 09", "e_data_store"), completed("03-16 09", "late")),
    *dossier("A4", BIRTH, submitted("03-20 09", "online", True, ["declaration"]),
             due("dossier.accepted", "03-20 10", "03-25 17"), verified("03-20 11")),
    *dossier("A5", BIRTH, submitted("02-20 09", "online", True, ["declaration"]),
             due("dossier.accepted", "02-20 10", "02-25 17"), verified("02-20 11"),
             *result("02-24 09", "e_data_store"), completed("02-24 09", "early")),
    *dossier("A6", BIRTH, submitted("03-28 09", "online", True, ["declaration"]),
             due("dossier.accepted", "03-28 10", "04-02 17")),
    *dossier("A7", BIRTH, submitted("04-02 09", "online", True, ["declaration"])),
    *dossier("B1", RESIDENCE, submitted("03-02 09", "online", True, ["ct01"]),
             due("dossier.accepted", "03-02 10", "03-09 17"), verified("03-02 11"),
             event("fee.requested", "03-02 11", reference="P", amount=10000),
             event("fee.paid", "03-02 12", reference="P", transaction_id="T", amount=10000),
             *result("03-06 09", "e_data_store"), completed("03-06 09", "on_time"),
             rated("03-06 10", 4, complaint=True)),
    *dossier("B2", RESIDENCE, submitted("03-03 09", "counter", False, ALL_RESIDENCE_DOCS),
             due("dossier.accepted", "03-03 10", "03-10 17"), verified("03-03 11"),
             event("fee.exempted", "03-03 11"),
             *result("03-09 09", "post"), completed("03-09 09", "on_time")),
    *dossier("B3", RESIDENCE, submitted("03-05 09", "online", True, ["ct01"]),
             due("dossier.accepted", "03-05 10", "03-12 17"),
             event("fee.requested", "03-05 11", reference="P", amount=10000),
             event("dossier.withdrawn", "03-06 09")),
    *dossier("B4", RESIDENCE, submitted("03-16 09", "online", True, ["ct01"]),
             due("dossier.accepted", "03-16 10", "03-23 17"), verified("03-16 11"),
             event("fee.paid", "03-16 12", reference="P", transaction_id="T", amount=10000),
             event("deadline.stopped", "03-17 09"),
             supplement("03-17 09", 1)),
]  # fmt: skip


# No feedback (PAKN) dossier in this log: its indicators are not applicable (tested on a log
# of their own in test_feedback_kpi.py).
NO_FEEDBACK = dict.fromkeys(FEEDBACK_INDICATORS, (0, 0))
NO_FEEDBACK_SCORES = dict.fromkeys(FEEDBACK_INDICATORS)
