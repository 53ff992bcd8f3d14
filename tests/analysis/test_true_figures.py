"""The rules of issue 15 ("the numbers must be true") on the hand-built October log of
``october_log`` (read its docstring first); every expected figure is worked out below.

Working hours per day: 07:30-11:30 and 13:00-17:00, 8 hours, Monday to Friday.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree

import pytest
from pydantic import ValidationError
from rich.console import Console

from motcua.analysis import (
    PERCENTILE_METHOD,
    EventLog,
    PeriodError,
    Scenario,
    bottlenecks,
    compute_kpis,
    fit,
    parse_bound,
    render_report,
    what_if,
    write_ocel,
    write_xes,
)
from motcua.analysis._xes import XES_NAMESPACE
from motcua.definitions import Catalog
from motcua.settings import Settings
from tests.analysis.october_log import (
    NOW,
    OFFICE,
    POLICE,
    RESIDENCE,
    ZONE,
    business_events,
    held_and_released_events,
    october_events,
    residence_events,
)

OCTOBER = parse_bound("2026-10-01", ZONE), parse_bound("2026-11-01", ZONE)


def test_a_period_bound_is_a_local_calendar_day_or_an_explicit_instant() -> None:
    # Local midnight of 1 October in UTC+7 is 17:00 UTC the day before.
    assert parse_bound("2026-10-01", ZONE) == datetime(2026, 9, 30, 17, tzinfo=UTC)
    assert parse_bound("2026-10-01T06:40:00+07:00", ZONE) == datetime(
        2026, 9, 30, 23, 40, tzinfo=UTC
    )
    assert parse_bound("2026-10-01T00:00:00Z", ZONE) == datetime(2026, 10, 1, tzinfo=UTC)
    with pytest.raises(PeriodError, match="no UTC offset"):
        parse_bound("2026-10-01T06:40", ZONE)
    with pytest.raises(PeriodError, match="not a date"):
        parse_bound("yesterday", ZONE)


def test_a_month_is_the_agency_s_local_month(catalog: Catalog) -> None:
    start, end = OCTOBER
    local = compute_kpis(business_events(), catalog, start=start, end=end, now=end)
    # Local October: H1 (filed 06:40 on the 1st), H3, H4, H5; H2 (1 Nov 06:30) is November.
    # Paid online: H1 H3 H5 = 3/4 = 75% -> 0.75 * 6 = 4.50 points.
    payment = local.agency(OFFICE).get("online_payment")
    assert (payment.numerator, payment.denominator) == (3, 4)
    assert payment.scored == pytest.approx(4.5)
    # Read as UTC days, October holds H2 H3 H4 H5 instead: 2/4 -> 3.00 points. An explicit
    # instant with an offset is taken as given.
    utc_start = parse_bound("2026-10-01T00:00:00+00:00", ZONE)
    utc_end = parse_bound("2026-11-01T00:00:00+00:00", ZONE)
    utc = compute_kpis(business_events(), catalog, start=utc_start, end=utc_end, now=utc_end)
    payment = utc.agency(OFFICE).get("online_payment")
    assert (payment.numerator, payment.denominator, payment.scored) == (2, 4, pytest.approx(3.0))


def test_the_report_shows_its_period_in_local_days(catalog: Catalog) -> None:
    start, end = OCTOBER
    report = compute_kpis(business_events(), catalog, start=start, end=end, now=end, zone=ZONE)
    console = Console(record=True, width=200)
    report.render(console)
    text = console.export_text()
    assert "2026-10-01 → 2026-11-01" in text  # not 2026-09-30 → 2026-10-31 (UTC dates)
    assert "calendar days in Asia/Ho_Chi_Minh" in text


BOTTLENECK_DOSSIERS = ("R1", "R2", "R3", "R4")


def test_a_stuck_task_counts_with_its_wait_so_far() -> None:
    log = EventLog.from_events(residence_events(*BOTTLENECK_DOSSIERS))
    report = bottlenecks(log, by_officer=True, now=NOW)
    review = report.step(RESIDENCE, "review")
    # R1's review, created Mon 5 Oct 08:00 and never claimed, waits until NOW (Fri 16 Oct
    # 17:00): 5 Oct 7.5 h + 6-9 Oct 4 x 8 h + 12-16 Oct 5 x 8 h = 79.5 working hours.
    assert (review.tasks, review.decided, review.open) == (4, 3, 1)
    # Waiting: R1 79.5, R2 1 (08:00-09:00), R3 2 (08:00-10:00), R4 0 -> sorted 0 1 2 79.5;
    # median (1 + 2) / 2 = 1.5; p90 at position 0.9 x 3 = 2.7: 2 + 0.7 x 77.5 = 56.25.
    assert (review.waiting_hours.median, review.waiting_hours.p90) == (
        pytest.approx(1.5),
        pytest.approx(56.25),
    )
    # Working: R1 0 (never claimed), R2 2, R3 5 Oct 10:00 -> 8 Oct 10:00 = 5.5 + 8 + 8 + 2.5
    # = 24, R4 5 Oct 08:00 -> 6 Oct 16:00 = 7.5 + 7 = 14.5 -> median (2 + 14.5) / 2 = 8.25,
    # p90 14.5 + 0.7 x 9.5 = 21.15.
    assert (review.working_hours.median, review.working_hours.p90) == (
        pytest.approx(8.25),
        pytest.approx(21.15),
    )
    # SLA breaches: R1 open past 9 Oct 17:00, R3 decided 8 Oct after 6 Oct 17:00; R2 and R4
    # decided in time -> 2 of 4.
    assert (review.sla_breaches, review.with_sla, review.breach_rate) == (2, 4, 0.5)
    officers = {s.officer: s for s in report.by_officer}
    assert set(officers) == {"binh.tran", "(unclaimed)"}
    unclaimed = officers["(unclaimed)"]
    assert (unclaimed.tasks, unclaimed.open, unclaimed.sla_breaches) == (1, 1, 1)
    assert unclaimed.waiting_hours.median == pytest.approx(79.5)


def test_open_dossiers_in_the_lead_time_table() -> None:
    log = EventLog.from_events(residence_events(*BOTTLENECK_DOSSIERS))
    report = bottlenecks(log, now=NOW)
    (lead,) = report.procedures
    # Lead times from acceptance (5 Oct 08:00): R1 open, so far 79.5; R2 to 15:00 = 3.5 + 2
    # = 5.5; R3 to 8 Oct 11:00 = 7.5 + 8 + 8 + 3.5 = 27; R4 to 7 Oct 09:00 = 7.5 + 8 + 1.5
    # = 17 -> sorted 5.5 17 27 79.5: median 22, p90 27 + 0.7 x 52.5 = 63.75.
    assert (lead.completed, lead.open) == (3, 1)
    assert (lead.lead_hours.median, lead.lead_hours.p90) == (
        pytest.approx(22),
        pytest.approx(63.75),
    )
    # Late: R1 (open past its 14 Oct appointment), R3 (8 Oct, after its 7 Oct appointment;
    # the extension to 9 Oct does not count), R4 (7 Oct 09:00, after 6 Oct 17:00) -> 1 of 4.
    assert (lead.late, lead.on_time_rate) == (3, pytest.approx(0.25))
    assert report.flag_disagreements == ("R4",)  # recorded on_time
    console = Console(record=True, width=220)
    render_report(console, report)
    text = console.export_text()
    assert "right-censored" in text and "Hyndman & Fan type 7" in text
    assert "R4" in text[text.index("Recorded timeliness disagrees") :]


def test_one_due_date_rule_for_open_and_finished_dossiers(catalog: Catalog) -> None:
    start, end = OCTOBER
    report = compute_kpis(residence_events(), catalog, start=start, end=end, now=NOW)
    on_time = report.agency(POLICE).get("on_time")
    # As of NOW, against the appointment date (never the apology's extended date):
    #   R1 open, past 14 Oct 17:00: late     R2 on time
    #   R3 finished 8 Oct, between 7 Oct and its extension to 9 Oct: late
    #   R4 finished 7 Oct 09:00 after 6 Oct 17:00: late
    #   R5 open, past 7 Oct although extended to 20 Oct: late
    #   R6 finished 13 Oct, before its restarted appointment 14 Oct (the supplement wait is
    #      excluded): on time
    #   R7 two supplement requests: late
    assert (on_time.numerator, on_time.denominator) == (2, 7)
    assert on_time.scored == pytest.approx(20 * 2 / 7)


def test_timeliness_is_computed_and_every_wrong_flag_is_listed(catalog: Catalog) -> None:
    start, end = OCTOBER
    report = compute_kpis(residence_events(), catalog, start=start, end=end, now=NOW, zone=ZONE)
    found = {d.dossier_code: d for d in report.disagreements}
    # R4 and R7 were recorded on_time; R3's recorded late agrees with the rule.
    assert set(found) == {"R4", "R7"}
    assert (found["R4"].recorded, found["R4"].computed) == ("on_time", "late")
    assert found["R4"].reason == (
        "finished 2026-10-07 09:00, after its appointment date 2026-10-06 17:00"
    )
    assert found["R7"].reason.startswith("2 supplement requests")
    data = report.to_dict()
    assert {d["dossier_code"] for d in data["disagreements"]} == {"R4", "R7"}
    console = Console(record=True, width=220)
    report.render(console)
    assert "R7" in console.export_text()


def test_the_what_if_before_column_is_the_lead_time_table() -> None:
    log = EventLog.from_events(residence_events(*BOTTLENECK_DOSSIERS))
    (lead,) = bottlenecks(log, now=NOW).procedures
    result = what_if(fit(log, procedure=RESIDENCE, now=NOW), Scenario("remove", "review"))
    # Before: the same four dossiers by the same method: 22 / 63.75.
    assert (result.baseline.median_hours, result.baseline.p90_hours) == (
        lead.lead_hours.median,
        lead.lead_hours.p90,
    )
    # Without review: R1 79.5 - 79.5 = 0, R2 5.5 - 3 = 2.5, R3 27 - 26 = 1, R4 17 - 14.5
    # = 2.5 -> sorted 0 1 2.5 2.5: median 1.75, p90 2.5.
    assert (result.projected.median_hours, result.projected.p90_hours) == (
        pytest.approx(1.75),
        pytest.approx(2.5),
    )
    assert result.percentile_method == PERCENTILE_METHOD


def test_procedure_denominators_are_the_procedures_provided(catalog: Catalog) -> None:
    start, end = OCTOBER
    overall = compute_kpis(october_events(), catalog, start=start, end=end, now=NOW).overall
    # Provided in October: 1.001612 (business office) and 1.004222 (police), both fee-bearing
    # and connected to the population database; the catalogue's other four procedures got no
    # dossier. Paid online: 1.001612 only -> 1/2; connected: 2/2.
    paid = overall.get("procedures_paid_online")
    assert (paid.numerator, paid.denominator) == (1, 2)
    connected = overall.get("population_procedures")
    assert (connected.numerator, connected.denominator) == (2, 2)


def test_exports_carry_the_computed_timeliness(tmp_path: Path) -> None:
    events = residence_events()
    write_xes(events, tmp_path / "log.xes")
    root = ElementTree.parse(tmp_path / "log.xes").getroot()
    traces = {}
    for trace in root.iter(f"{{{XES_NAMESPACE}}}trace"):
        attrs = {a.get("key"): a.get("value") for a in trace if a.tag.endswith("string")}
        traces[attrs["concept:name"]] = attrs
    # Finished: R2 R6 on time; R3 (between its two dates), R4 (wrong flag), R7 (two requests)
    # late. Open R1 R5 have no verdict yet.
    computed = {code: a.get("timeliness") for code, a in traces.items()}
    assert computed == {"R1": None, "R2": "on_time", "R3": "late", "R4": "late", "R5": None,
                        "R6": "on_time", "R7": "late"}  # fmt: skip
    recorded = {code: a["recorded_timeliness"] for code, a in traces.items()
                if "recorded_timeliness" in a}  # fmt: skip
    assert recorded == {"R4": "on_time", "R7": "on_time"}

    write_ocel(sorted(events, key=lambda e: e.occurred_at), tmp_path / "log.jsonocel")
    document = json.loads((tmp_path / "log.jsonocel").read_text(encoding="utf-8"))
    r4 = next(o for o in document["objects"] if o["id"] == "dossier:R4")
    final = {a["name"]: a["value"] for a in r4["attributes"]}
    assert (final["timeliness"], final["recorded_timeliness"]) == ("late", "on_time")


def test_the_agency_time_zone_is_a_setting_that_refuses_an_unknown_zone() -> None:
    assert Settings().agency_timezone == "Asia/Ho_Chi_Minh"
    with pytest.raises(ValidationError, match="unknown IANA time zone 'Asia/Saigonn'"):
        Settings(agency_timezone="Asia/Saigonn")


def test_open_work_is_shown_under_the_officer_holding_it_or_as_unclaimed() -> None:
    log = EventLog.from_events(held_and_released_events())
    officers = {s.officer: s for s in bottlenecks(log, by_officer=True, now=NOW).by_officer}
    # R8's task was released by an.le: nobody holds it. R9's is held by chi.vo. Both waited
    # 1 working hour (08:00-09:00) until their first claim.
    assert set(officers) == {"(unclaimed)", "chi.vo"}
    assert all(
        s.open == 1 and s.waiting_hours.median == pytest.approx(1) for s in officers.values()
    )
