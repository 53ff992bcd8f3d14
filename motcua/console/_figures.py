"""The read model's event log, analysed for the designer's and the operations pages: the
bottleneck report as of now (measured on the workers' calendar), the cut candidates, and the
Decision 766 scorecard of a period (``motcua kpis``'s)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Session, sessionmaker

from motcua.analysis import (
    AgencyKpis,
    BottleneckReport,
    CutCandidate,
    agency_zone,
    bottlenecks,
    compute_kpis,
    cut_candidates,
    load_log,
)
from motcua.console._cache import TtlCache
from motcua.definitions import Catalog
from motcua.settings import Settings
from motcua.store import iter_events
from worker import worker_calendar


@dataclass(frozen=True)
class Figures:
    report: BottleneckReport
    candidates: tuple[CutCandidate, ...]
    events: int


_CACHE = TtlCache()


def figures(
    settings: Settings,
    catalog: Catalog,
    reads: sessionmaker[Session],
    *,
    procedure: str | None = None,
    since: datetime | None = None,
) -> Figures:
    """The bottleneck report and cut candidates of the log (one procedure, or every one), broken
    down by agency, with open tasks measured up to now (kept a minute: ``_cache``)."""
    key = ("figures", settings.database_url, procedure, since)
    return _CACHE.get(key, lambda: _figures(settings, catalog, reads, procedure, since))


def _figures(
    settings: Settings,
    catalog: Catalog,
    reads: sessionmaker[Session],
    procedure: str | None,
    since: datetime | None,
) -> Figures:
    with reads() as session:
        log = load_log(session, procedure=procedure, since=since)
    # Demo dossiers run on a fast clock ahead of the wall clock: never measure before the log ends.
    last = datetime.fromtimestamp(float(log.at.max()), UTC) if len(log) else None
    now = max(datetime.now(UTC), last) if last else datetime.now(UTC)
    report = bottlenecks(log, calendar=worker_calendar(settings), by_agency=True, now=now)
    procedures = {p.code for p in catalog.procedures()}
    definitions = {c: catalog.latest(c) for c in log.procedure_names if c in procedures}
    candidates = cut_candidates(report, log, definitions=definitions) if len(log) else ()
    return Figures(report, candidates, len(log))


@dataclass(frozen=True)
class Scorecard:
    """The scorecards to show (one agency's, or each agency's and all together) and how many
    finished dossiers have a recorded timeliness flag that disagrees with their events."""

    cards: tuple[AgencyKpis, ...]
    disagreements: int


def scorecard(
    settings: Settings,
    catalog: Catalog,
    reads: sessionmaker[Session],
    *,
    agency: str | None,
    start: datetime,
    end: datetime,
) -> Scorecard:
    """The Decision 766 scorecard of ``agency`` (or of all) from ``start`` to ``end`` (exclusive),
    as ``motcua kpis`` computes it (kept a minute: ``_cache``)."""

    def compute() -> Scorecard:
        with reads() as session:
            events = list(iter_events(session, agency=agency, until=end))
        zone = agency_zone(settings.agency_timezone)
        report = compute_kpis(events, catalog, agency=agency, start=start, end=end, zone=zone)
        cards = list(report.agencies)
        if agency is None and len(cards) != 1:
            cards.append(report.overall)
        return Scorecard(tuple(cards), len(report.disagreements))

    return _CACHE.get(("kpis", settings.database_url, agency, start, end), compute)
