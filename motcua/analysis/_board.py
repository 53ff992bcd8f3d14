"""The public board's figures per agency (Decree 118/2025's public display of results): dossiers
received in the period, those finished in it early, on time or late, and the on-time rate.

The on-time rate is the Decision 766 indicator itself (``compute_kpis``), so the board shows what
``motcua kpis`` reports for the same period. A finished dossier is late by the one timeliness
rule (``_timeliness``); of the others, *early* are those the engine recorded as finished before
the warning day (``timeliness = early``), the rest *on time*.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, tzinfo

from motcua.analysis._dossier_facts import DossierFacts, as_utc, fold
from motcua.analysis._kpis import compute_kpis
from motcua.definitions import Catalog
from motcua.dossier import Event

__all__ = ["BoardFigures", "board_figures"]


@dataclass(frozen=True)
class BoardFigures:
    """One agency's line on the board."""

    agency: str
    received: int
    early: int
    on_time: int
    late: int
    on_time_rate: float | None  # Decision 766 "on_time": None when no dossier counts
    counted: int  # the rate's denominator: dossiers received or processed in the period


def board_figures(
    events: Iterable[Event],
    catalog: Catalog,
    *,
    start: datetime,
    zone: tzinfo,
    agency: str | None = None,
    now: datetime | None = None,
) -> list[BoardFigures]:
    """Each agency's figures (only ``agency``'s when given) from ``start`` until ``now``."""
    log = list(events)
    report = compute_kpis(log, catalog, agency=agency, start=start, now=now, zone=zone)
    start_utc = as_utc(start)
    assert start_utc is not None
    facts = [d for d in fold(log, catalog, None) if agency is None or d.agency == agency]
    lines = []
    for kpis in report.agencies:
        mine = [d for d in facts if d.agency == kpis.agency]
        finished = [d for d in mine if d.ended_at is not None and d.ended_at >= start_utc]
        verdicts = [(d, d.finished_timeliness()) for d in finished]
        on_time = [d for d, verdict in verdicts if verdict == "on_time"]
        rate = kpis.get("on_time")
        lines.append(
            BoardFigures(
                agency=str(kpis.agency),
                received=sum(_received(d, start_utc) for d in mine),
                early=sum(d.timeliness == "early" for d in on_time),
                on_time=sum(d.timeliness != "early" for d in on_time),
                late=sum(verdict == "late" for _, verdict in verdicts),
                on_time_rate=rate.rate,
                counted=rate.denominator,
            )
        )
    return lines


def _received(d: DossierFacts, start: datetime) -> bool:
    return d.submitted_at is not None and d.submitted_at >= start
