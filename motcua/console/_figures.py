"""The read model's event log, analysed for the designer's and the operations pages: the
bottleneck report as of now (measured on the workers' calendar) and the cut candidates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Session, sessionmaker

from motcua.analysis import BottleneckReport, CutCandidate, bottlenecks, cut_candidates, load_log
from motcua.definitions import Catalog
from motcua.settings import Settings
from worker import worker_calendar


@dataclass(frozen=True)
class Figures:
    report: BottleneckReport
    candidates: tuple[CutCandidate, ...]
    events: int


def figures(
    settings: Settings,
    catalog: Catalog,
    reads: sessionmaker[Session],
    *,
    procedure: str | None = None,
    since: datetime | None = None,
) -> Figures:
    """The bottleneck report and cut candidates of the log (one procedure, or every one), broken
    down by agency, with open tasks measured up to now."""
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
