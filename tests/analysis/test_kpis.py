"""Decision 766 KPIs on a hand-built event log; every expected value is worked out by hand below.

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

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from rich.console import Console

from motcua.analysis._feedback import FEEDBACK_INDICATORS
from motcua.analysis._kpis import compute_kpis
from motcua.analysis._scoring import AgencyKpis, score
from motcua.definitions import Catalog
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


def counts(kpis: AgencyKpis) -> dict[str, tuple[int, int]]:
    return {i.id: (i.numerator, i.denominator) for i in kpis.indicators}


def scores(kpis: AgencyKpis) -> dict[str, float | None]:
    return {i.id: i.scored for i in kpis.indicators}


@pytest.fixture(scope="module")
def march(catalog: Catalog) -> Any:
    return compute_kpis(LOG, catalog, start=START, end=END, now=END)


def test_commune_pc_counts_and_points(march: Any) -> None:
    pc = march.agency("commune-pc")
    # In the period: A1 A2 A3 A4 A6 (A5 ended in February, A7 arrives in April).
    assert pc.dossiers == 5
    assert counts(pc) == NO_FEEDBACK | {
        "on_time": (2, 5),  # late: A2 (recorded), A3 (recorded: 2 supplements), A4 (open, past due)
        "full_process_online": (3, 4),  # eligible: births A1 A2 A4 A6; flagged A1 A4 A6
        "online_e_result": (2, 2),  # online and completed: A1 A3, both to the e-data store
        "online_payment": (0, 0),  # no fee-bearing procedure: not applicable
        "procedures_paid_online": (0, 0),
        "e_result": (3, 3),  # completed A1 A2 A3, each with result.issued
        "data_reuse": (4, 5),  # all but A2 (submitted every replaceable document, no query)
        "e_data_store": (2, 3),  # A1 A3 of A1 A2 A3 (A2 at the counter)
        "population_procedures": (2, 2),  # birth and marriage both verify with population
        "population_dossiers": (3, 5),  # A1 A3 A4 verified
        "satisfaction": (1, 5),  # 5 - 3 late - 1 dislike (A2, score 2) = 1
    }
    assert scores(pc) == pytest.approx(
        NO_FEEDBACK_SCORES
        | {
            "on_time": 8.0,  # no target: 0.4 * 20
            "full_process_online": 4.5,  # 0.75 * 6
            "online_e_result": 6.0,  # 100% >= T 50%: full points
            "online_payment": None,
            "procedures_paid_online": None,
            "e_result": 6.0,  # 1.0 * 6
            "data_reuse": 2.0,  # exactly at T 80%: full points
            "e_data_store": 8 / 3,  # 2/3 * 4
            "population_procedures": 2.0,
            "population_dossiers": 1.2,  # 0.6 * 2
            "satisfaction": 4 / 3,  # 0.2 < T 0.9: 0.2 * 6 / 0.9
        }
    )
    # 8 + 4.5 + 6 + 6 + 2 + 8/3 + 2 + 1.2 + 4/3 = 33.7 of 20+6+6+6+2+4+2+2+6 = 54
    assert pc.total_score == pytest.approx(33.7)
    assert pc.points_available == 54
    # birth: A1 2 days, A2 6 days -> 4; marriage: A3 6 days - 2 days waiting = 4
    times = {t.procedure_code: (t.dossiers, t.average_days) for t in pc.processing_times}
    assert times == {BIRTH: (2, pytest.approx(4.0)), MARRIAGE: (1, pytest.approx(4.0))}


def test_commune_police_counts_and_points(march: Any) -> None:
    police = march.agency("commune-police")
    assert police.dossiers == 4
    assert counts(police) == NO_FEEDBACK | {
        "on_time": (3, 3),  # B1 B2 on time, B4 clock stopped; B3 withdrawn: not counted
        "full_process_online": (3, 4),  # B1 B3 B4 flagged of B1-B4
        "online_e_result": (1, 1),  # B1
        "online_payment": (2, 3),  # paid B1 B4 of B1 B3 B4 (B2 exempted: fee zero)
        "procedures_paid_online": (1, 1),  # 1.004222
        "e_result": (2, 2),
        "data_reuse": (4, 4),  # B2 submitted every document but was verified with population
        "e_data_store": (1, 2),  # B1; B2 by post
        "population_procedures": (1, 1),
        "population_dossiers": (3, 4),  # B1 B2 B4
        "satisfaction": (2, 3),  # 3 - 0 late - 1 complaint (B1)
    }
    assert scores(police)["online_payment"] == pytest.approx(4.0)  # 2/3 * 6
    assert scores(police)["satisfaction"] == pytest.approx(40 / 9)  # 2/3 * 6 / 0.9
    # 20 + 4.5 + 6 + 4 + 2 + 6 + 2 + 2 + 2 + 1.5 + 40/9 = 54.444…, all 62 points applicable
    assert police.total_score == pytest.approx(50 + 40 / 9)
    assert police.points_available == 62
    assert [(t.procedure_code, t.average_days) for t in police.processing_times] == [
        (RESIDENCE, pytest.approx(5.0))  # B1 4 days, B2 6 days
    ]


def test_overall_adds_the_dossiers_of_both_agencies(march: Any) -> None:
    overall = march.overall
    assert overall.agency is None and overall.dossiers == 9
    assert counts(overall) == NO_FEEDBACK | {
        "on_time": (5, 8),
        "full_process_online": (6, 8),
        "online_e_result": (3, 3),
        "online_payment": (2, 3),
        # Of the procedures provided in March (birth, marriage, residence), only residence has
        # a fee; the catalogue's business household and judicial record got no dossier.
        "procedures_paid_online": (1, 1),
        "e_result": (5, 5),
        "data_reuse": (8, 9),  # 0.89 >= T 0.8
        "e_data_store": (3, 5),
        "population_procedures": (3, 3),  # birth, marriage, residence: provided in March
        "population_dossiers": (6, 9),
        "satisfaction": (3, 8),  # 8 - 3 late - 2 (A2 dislike, B1 complaint)
    }
    # 12.5 + 4.5 + 6 + 4 + 2 + 6 + 2 + 2.4 + 2 + 4/3 + 2.5 (0.375 * 6 / 0.9) = 45.2333…
    assert overall.total_score == pytest.approx(45 + 0.7 / 3)


def test_agency_filter_keeps_one_agency_and_its_procedures(catalog: Catalog) -> None:
    report = compute_kpis(LOG, catalog, agency="commune-police", start=START, end=END, now=END)
    assert [a.agency for a in report.agencies] == ["commune-police"]
    assert report.overall.agency == "commune-police"
    assert counts(report.overall) == counts(report.agency("commune-police"))
    assert counts(report.overall)["procedures_paid_online"] == (1, 1)
    console = Console(record=True, width=140)
    report.render(console)
    assert console.export_text().count("commune-police ·") == 1  # no duplicate overall table


def test_end_of_period_judges_dossiers_as_they_were(catalog: Catalog) -> None:
    end = at("03-05 23")
    pc = compute_kpis(LOG, catalog, agency="commune-pc", start=START, end=end, now=end).overall
    # A1 completed early; A2 still open and before its due date 06/03 (its late completion on
    # 09/03 is after the period); A5 ended before the start; A3, A4, A6, A7 come later.
    assert pc.dossiers == 2
    assert counts(pc)["on_time"] == (2, 2)
    assert counts(pc)["e_result"] == (1, 1)
    assert counts(pc)["satisfaction"] == (2, 2)  # A2's rating of 2 comes on 09/03


def test_start_of_period_drops_dossiers_finished_before_it(catalog: Catalog) -> None:
    start = at("03-15 00")
    pc = compute_kpis(LOG, catalog, agency="commune-pc", start=start, end=END, now=END).overall
    # Open during the period: A3 (completed 16/03, late), A4 (past due), A6 (on time).
    assert pc.dossiers == 3
    assert counts(pc)["on_time"] == (1, 3)
    assert scores(pc)["on_time"] == pytest.approx(20 / 3)
    # Received in the period: A4 A6 only.
    assert counts(pc)["full_process_online"] == (2, 2)
    assert counts(pc)["population_dossiers"] == (1, 2)


def test_scoring_rule_at_and_below_target() -> None:
    assert score(0.5, 6, 0.5) == 6  # at the target: full points
    assert score(0.9, 6, 0.5) == 6
    assert score(0.25, 6, 0.5) == pytest.approx(3.0)  # 0.25 * 6 / 0.5
    assert score(0.4, 20, None) == pytest.approx(8.0)  # no target: R * points


def test_report_as_json_and_as_a_table(march: Any) -> None:
    data = json.loads(json.dumps(march.to_dict()))
    police = next(a for a in data["agencies"] if a["agency"] == "commune-police")
    payment = next(i for i in police["indicators"] if i["id"] == "online_payment")
    assert payment["rate"] == pytest.approx(2 / 3) and payment["scored"] == pytest.approx(4.0)
    console = Console(record=True, width=140)
    march.render(console)
    text = console.export_text()
    assert "commune-police" in text and "Paid online" in text and "2/3" in text
    assert "54.44 / 62" in text and "All agencies" in text
