"""The operations page's links: the Temporal UI filtered by the dossiers' search attributes, and
the Grafana dashboard; and the reporting periods of its picker."""

from __future__ import annotations

from datetime import UTC, date, datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from motcua.console._links import grafana, running_workflows
from motcua.console._periods import PeriodUnknown, parse_period, recent_periods
from motcua.settings import Settings


def _query(url: str) -> str:
    return parse_qs(urlsplit(url).query)["query"][0]


def test_the_temporal_ui_is_the_dev_servers_unless_set() -> None:
    dev = Settings(environment="test", temporal_address="127.0.0.1:7233")
    url = running_workflows(dev, agency="commune-police", procedure="1.004222")
    assert url.startswith("http://127.0.0.1:8233/namespaces/default/workflows?query=")
    assert _query(url) == (
        'ExecutionStatus="Running" AND MotcuaAgency="commune-police" AND MotcuaProcedure="1.004222"'
    )
    cloud = Settings(
        environment="test", temporal_ui_url="https://ui.example/", temporal_namespace="motcua.a1"
    )
    overdue = running_workflows(cloud, due_before=datetime(2026, 10, 1, tzinfo=UTC))
    assert overdue.startswith("https://ui.example/namespaces/motcua.a1/workflows?query=")
    assert _query(overdue).endswith('MotcuaDueAt<"2026-10-01T00:00:00+00:00"')


def test_grafana_is_linked_only_when_configured() -> None:
    assert grafana(Settings(environment="test")) is None
    configured = Settings(environment="test", grafana_url="http://127.0.0.1:3000/")
    assert grafana(configured) == "http://127.0.0.1:3000/d/motcua-operations"
    assert grafana(configured, agency="commune-pc") == (
        "http://127.0.0.1:3000/d/motcua-operations?var-agency=commune-pc"
    )


def test_periods_are_months_quarters_and_years() -> None:
    october, q4, year = parse_period("2026-10"), parse_period("2026-Q4"), parse_period("2026")
    assert (october.first, october.end) == (date(2026, 10, 1), date(2026, 11, 1))
    assert (q4.kind, q4.number, q4.first, q4.end) == (
        "quarter",
        4,
        date(2026, 10, 1),
        date(2027, 1, 1),
    )
    assert (year.first, year.end) == (date(2026, 1, 1), date(2027, 1, 1))
    for bad in ("2026-13", "2026-Q5", "26", "2026-10-01", "", "0001", "9999-12"):
        with pytest.raises(PeriodUnknown):
            parse_period(bad)
    offered = [p.key for p in recent_periods(date(2026, 2, 14))]
    assert offered[:3] == ["2026-02", "2026-01", "2025-12"]
    assert (
        "2026-Q1" in offered and "2025-Q4" in offered and offered[-3:] == ["2026", "2025", "2024"]
    )
