"""Gauges read from the read model at scrape time, so they are right across processes.

A per-process gauge sees only the tasks its own process projected; the read model sees them all.
``ReadModelCollector`` runs two grouped queries on each scrape, in a read-only session:

- ``motcua_tasks_open{procedure,step,agency}``: officer tasks open or claimed;
- ``motcua_tasks_overdue{procedure,step,agency}``: those of them past their due instant;
- ``motcua_dossiers_open{procedure,agency,status}``: dossiers not yet in a terminal status.

It is registered once, in the engine worker's process (``worker.run_worker``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime

import structlog
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import Engine, Row, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from motcua.dossier import TERMINAL_STATUSES
from motcua.store import DossierRow, open_tasks_by_step, session_factory

__all__ = ["ReadModelCollector"]

log = structlog.get_logger("motcua.metrics")

_TASK_LABELS = ["procedure", "step", "agency"]
_DOSSIER_LABELS = ["procedure", "agency", "status"]


def _families() -> tuple[GaugeMetricFamily, GaugeMetricFamily, GaugeMetricFamily]:
    return (
        GaugeMetricFamily(
            "motcua_tasks_open", "Officer tasks open or claimed (read model)", labels=_TASK_LABELS
        ),
        GaugeMetricFamily(
            "motcua_tasks_overdue",
            "Officer tasks open or claimed past their due instant (read model)",
            labels=_TASK_LABELS,
        ),
        GaugeMetricFamily(
            "motcua_dossiers_open",
            "Dossiers not yet in a terminal status (read model)",
            labels=_DOSSIER_LABELS,
        ),
    )


class ReadModelCollector(Collector):
    """Exports open tasks, overdue tasks and open dossiers from the read model on each scrape.

    A database error during a scrape is logged as a warning and the collector yields no samples,
    so the rest of ``/metrics`` still answers.

    Args:
        engine: the read model's engine (`motcua.store.make_engine`).
        clock: the current UTC instant; a task is overdue when its due instant is before it.
    """

    def __init__(
        self, engine: Engine, *, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    ) -> None:
        self._sessions: sessionmaker[Session] = session_factory(engine, read_only=True)
        self._clock = clock

    def describe(self) -> list[Metric]:
        """The metric names, without samples: registration must not query the database."""
        return list(_families())

    def collect(self) -> Iterator[Metric]:
        """Query the read model and yield the three gauge families (nothing on an error)."""
        tasks_open, tasks_overdue, dossiers_open = _families()
        try:
            with self._sessions() as session:
                tasks = open_tasks_by_step(session, self._clock())
                for procedure, step, agency, count, overdue in tasks:
                    labels = [procedure or "", step or "", agency]
                    tasks_open.add_metric(labels, count)
                    tasks_overdue.add_metric(labels, overdue or 0)
                for procedure, agency, status, count in _dossier_counts(session):
                    dossiers_open.add_metric([procedure, agency, status], count)
        except SQLAlchemyError as error:
            log.warning("metrics.read_model_unavailable", error=str(error))
            return
        yield from (tasks_open, tasks_overdue, dossiers_open)


def _dossier_counts(session: Session) -> Sequence[Row[str, str, str, int]]:
    """Dossiers not in a terminal status, by procedure, agency and status."""
    query = (
        select(DossierRow.procedure_code, DossierRow.agency, DossierRow.status, func.count())
        .where(DossierRow.status.not_in(sorted(TERMINAL_STATUSES)))
        .group_by(DossierRow.procedure_code, DossierRow.agency, DossierRow.status)
    )
    return session.execute(query).all()
