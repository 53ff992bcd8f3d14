"""Decision 766 KPIs on a hand-built event log (``march_log.py``, where each dossier is
described); every expected value is worked out by hand below."""

from __future__ import annotations

import json
from typing import Any

import pytest
from rich.console import Console

from motcua.analysis._kpis import compute_kpis
from motcua.analysis._scoring import AgencyKpis, score
from motcua.definitions import Catalog
from tests.analysis.march_log import (
    BIRTH,
    END,
    LOG,
    MARRIAGE,
    NO_FEEDBACK,
    NO_FEEDBACK_SCORES,
    RESIDENCE,
    START,
    at,
)


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
