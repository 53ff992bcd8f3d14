"""The demo's summary says when its run was too short for the dossiers to end."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from rich.console import Console

from motcua.analysis import compute_kpis
from motcua.definitions import Catalog
from motcua.demo import DemoReport, print_summary
from motcua.demo._summary import ClockFacts

FACTS = ClockFacts(
    first_scale=208, calendar_hours=4.8, last_scale=208, slowdowns=0, lag_p50=0.02,
    lag_p90=0.1, lag_samples=20, start_late_p90=0.1,
)  # fmt: skip
COUNTS = {"early": 0, "on_time": 0, "late": 0, "refused": 0, "rejected": 0, "withdrawn": 0,
          "lapsed": 0, "online_share": 0.8}  # fmt: skip


def _printed(catalog: Catalog, facts: ClockFacts = FACTS, **figures: Any) -> str:
    report = DemoReport(
        figures={**COUNTS, **figures}, kpis=compute_kpis([], catalog), bottlenecks=None,
        clock=facts, since=datetime(2026, 12, 3, tzinfo=UTC), longest_deadline_days=10,
    )  # fmt: skip
    console = Console(width=200, record=True)
    print_summary(console, report)
    return console.export_text()


def test_a_run_too_short_for_its_procedures_says_so(catalog: Catalog) -> None:
    text = _printed(catalog, received=11, finished=0, in_progress=11)
    assert "11 of 11 dossiers are still in progress" in text
    assert "0.2 calendar days" in text and "run to 10 working days" in text
    assert "motcua demo --seconds 900" in text


def test_a_slowdown_is_reported_with_the_lags_that_caused_it(catalog: Catalog) -> None:
    monday = datetime(2026, 12, 7, 13, 2, tzinfo=UTC)
    facts = replace(FACTS, slowdowns=1, last_scale=100, slowdown_causes=((monday, (0.02, 0.9)),))
    text = _printed(catalog, facts, received=11, finished=8, on_time=8, in_progress=3)
    assert "slowed 1 time(s) to 100" in text
    assert "slowed at Mon 13:02 calendar time; the last task lags (s): 0.02, 0.90" in text


def test_a_run_where_most_dossiers_ended_says_nothing_of_it(catalog: Catalog) -> None:
    text = _printed(catalog, received=11, finished=8, on_time=8, in_progress=3)
    assert "still in progress" not in text
