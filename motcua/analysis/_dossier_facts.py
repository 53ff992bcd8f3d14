"""One dossier's facts as of the end of a KPI period: the log folded per dossier.

The KPIs (``_kpis``) count these records; the timeliness rule (``_timeliness``) judges them.
The due date kept is the appointment date; an apology's extended date is kept apart.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from motcua.analysis._timeliness import is_late
from motcua.definitions import Catalog, Procedure, VerifyStep
from motcua.dossier import (
    ENDINGS,
    DeadlineExtended,
    DeadlineSet,
    DeadlineStopped,
    DossierAccepted,
    DossierRated,
    DossierSubmitted,
    Event,
    FeeExempted,
    FeePaid,
    ResultDelivered,
    ResultIssued,
    SupplementReceived,
    SupplementRequested,
    VerificationCompleted,
    VerificationFailed,
)

__all__ = ["DossierFacts", "as_utc", "aware", "fold"]


@dataclass
class DossierFacts:
    """One dossier's facts as of the end of the period."""

    code: str
    procedure_code: str
    agency: str
    procedure: Procedure | None
    submitted_at: datetime | None = None
    channel: str | None = None
    full_process_online: bool = False
    documents: tuple[str, ...] = ()
    ended: str | None = None
    ended_at: datetime | None = None
    timeliness: str | None = None
    due_at: datetime | None = None  # the appointment date (accepted / restarted clock)
    extended_to: datetime | None = None  # the apology's new date: shown, never judged against
    clock_stopped: bool = False
    supplements: int = 0
    waiting: timedelta = timedelta(0)
    waiting_since: datetime | None = None
    paid: bool = False
    exempted: bool = False
    result_issued: bool = False
    e_data_store: bool = False
    population: bool = False
    disliked: bool = False  # rated 1-2 of 5, or rated as a complaint
    about: str | None = None  # a feedback (PAKN) dossier: the dossier it is about
    complained: bool = False  # a feedback dossier names this one (set by the KPIs)
    time_scale: float = 1.0  # a demo dossier's fast clock: real durations times this = calendar

    @property
    def reused(self) -> bool:
        """Queried the population database, or left out a document a data source replaces."""
        replaced = (
            {doc.id for doc in self.procedure.documents if doc.replaced_by}
            if self.procedure
            else set()
        )
        return self.population or bool(replaced - set(self.documents))

    @property
    def dissatisfied(self) -> bool:
        """A dislike or a complaint, as the satisfaction indicator counts them."""
        return self.disliked or self.complained

    @property
    def judged(self) -> bool:
        """Whether the dossier counts in the on-time rate: not withdrawn or lapsed (ended by
        the citizen), and not refused or rejected before it had an appointment date."""
        if self.ended in ("dossier.withdrawn", "dossier.lapsed"):
            return False
        return self.ended in (None, "dossier.completed") or self.due_at is not None

    def finished_timeliness(self) -> str | None:
        """``"late"`` or ``"on_time"`` by the one rule, once the dossier has ended and counts;
        None while it is open or when it does not count."""
        if self.ended is None or not self.judged:
            return None
        assert self.ended_at is not None
        late = is_late(
            supplements=self.supplements,
            due=self.due_at,
            finished_at=self.ended_at,
            now=self.ended_at,
            clock_stopped=self.clock_stopped,
        )
        return "late" if late else "on_time"

    def apply(self, e: Event) -> None:
        """Fold one event into the record."""
        at = aware(e.occurred_at)
        match e:
            case DossierSubmitted():
                self.submitted_at, self.channel = at, e.channel
                self.full_process_online = e.full_process_online
                self.documents = tuple(e.documents)
                self.time_scale = e.time_scale
                self.about = e.about_dossier
            case DossierAccepted() | DeadlineSet():
                self.due_at, self.clock_stopped = as_utc(e.due_at), False
                self.extended_to = None  # a restart from zero replaces an extended date
            case DeadlineExtended():
                self.extended_to = as_utc(e.due_at)
            case DeadlineStopped():
                self.clock_stopped = True
            case SupplementRequested():
                self.supplements += 1
                self.waiting_since = at
            case SupplementReceived() if self.waiting_since is not None:
                self.waiting += at - self.waiting_since
                self.waiting_since = None
            case FeePaid():
                self.paid = True
            case FeeExempted():
                self.exempted = True
            case VerificationCompleted() | VerificationFailed():
                self.population = self.population or _population_step(self, e)
            case ResultIssued():
                self.result_issued = True
            case ResultDelivered():
                self.e_data_store = self.e_data_store or e.delivery == "e_data_store"
            case DossierRated():
                self.disliked = e.score <= 2 or e.complaint
            case _ if e.type in _TERMINAL:
                self.ended, self.ended_at, self.timeliness = e.type, at, e.timeliness


_TERMINAL = ENDINGS | {"dossier.completed"}


def _population_step(d: DossierFacts, e: VerificationCompleted | VerificationFailed) -> bool:
    step = next((s for s in d.procedure.steps if s.id == e.step_id), None) if d.procedure else None
    if isinstance(step, VerifyStep):
        return step.adapter == "population"
    return e.source.startswith("population")


def fold(events: Iterable[Event], catalog: Catalog, end: datetime | None) -> list[DossierFacts]:
    dossiers: dict[str, DossierFacts] = {}
    for e in sorted(events, key=lambda e: (aware(e.occurred_at), e.seq)):
        if end is not None and aware(e.occurred_at) >= end:
            break
        d = dossiers.get(e.dossier_code)
        if d is None:
            d = dossiers[e.dossier_code] = DossierFacts(
                e.dossier_code, e.procedure_code, e.agency, _procedure(catalog, e)
            )
        d.apply(e)
    return list(dossiers.values())


def _procedure(catalog: Catalog, e: Event) -> Procedure | None:
    try:
        return catalog.get(e.procedure_code, e.procedure_version)
    except KeyError:
        return None


def aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes: they are UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def as_utc(moment: datetime | None) -> datetime | None:
    return None if moment is None else aware(moment)
