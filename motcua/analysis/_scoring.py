"""Decision 766/QĐ-TTg scoring: the indicators' points and targets, the rule, the report models.

Points and targets are rule parameters with their legal reference (``LEGAL.md``, "KPIs — Decision
766/QĐ-TTg"). Where LEGAL.md gives only a group's total, the split between that group's
indicators is marked *assumed* in :data:`SPECS`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, computed_field
from rich.console import Console
from rich.table import Table

from motcua.analysis._timeliness import TIMELINESS_NOTE, FlagDisagreement


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Spec(_Frozen):
    """How one indicator is scored."""

    id: str
    group: str
    name: str
    points: float
    target: float | None = None
    basis: str


# The four feedback (PAKN) deadlines, 1.5 points each: what the officers did (in the indicator's
# id and name), the step as LEGAL.md words it, and its working days.
_FEEDBACK_DEADLINES = (
    ("refused", "", "refuse", 2),
    ("asked", " more", "ask for more", 5),
    ("answered", "", "handle", 15),
    ("published", "", "publish", 2),
)

SPECS: dict[str, Spec] = {
    s.id: s
    for s in (
        Spec(id="on_time", group="Progress", name="On-time rate", points=20,
             basis="Progress (20): on-time rate; the only scored indicator of the group"),
        Spec(id="full_process_online", group="Online services", name="Full-process online",
             points=6, basis="Online services (12): split 6/6 assumed"),
        Spec(id="online_e_result", group="Online services", name="Online with e-result",
             points=6, target=0.5, basis="Online services (12): T = 50%; split 6/6 assumed"),
        Spec(id="online_payment", group="Online payment", name="Paid online", points=6,
             basis="Online payment: dossiers paid online (6)"),
        Spec(id="procedures_paid_online", group="Online payment",
             name="Procedures provided with an online payment", points=2,
             basis="Online payment: procedures with at least one online payment (2), of the "
                   "procedures the agency provided in the period"),
        Spec(id="e_result", group="Digitisation", name="Electronic result", points=6,
             basis="Digitisation: dossiers with an electronic result (6)"),
        Spec(id="data_reuse", group="Digitisation", name="Reuse of digitised data", points=2,
             target=0.8, basis="Digitisation: reusing digitised data (2, T = 80%)"),
        Spec(id="e_data_store", group="Digitisation", name="Results to the e-data store",
             points=4, basis="Digitisation: components from / results to the e-data store (4)"),
        Spec(id="population_procedures", group="Digitisation",
             name="Procedures provided connected to population DB", points=2,
             basis="Digitisation: procedures connected to the population DB (2), of the "
                   "procedures the agency provided in the period"),
        Spec(id="population_dossiers", group="Digitisation", name="Dossiers using population data",
             points=2, basis="Digitisation: dossiers using population data or VNeID (2)"),
        Spec(id="satisfaction", group="Satisfaction", name="Satisfaction", points=6, target=0.9,
             basis="Satisfaction: 100% - (late + complaint/dislike) (6, T = 90%); complaints: "
                   "feedback (PAKN) dossiers about the dossier"),
        *(
            Spec(id=f"feedback_{done}", group="Satisfaction",
                 name=f"Feedback {done}{more} ≤ {days} days", points=1.5,
                 basis=f"Satisfaction: feedback handled on time (6): {act} ≤ {days} working "
                       "days; split 1.5 per deadline assumed")
            for done, more, act, days in _FEEDBACK_DEADLINES
        ),
    )
}  # fmt: skip


def score(rate: float, points: float, target: float | None) -> float:
    """The official rule: full points when ``rate >= target``, else ``rate * points / target``;
    without a target, ``rate * points``."""
    if target is None:
        return rate * points
    return points if rate >= target else rate * points / target


class Indicator(_Frozen):
    """One indicator for one agency (or overall) and period."""

    id: str
    group: str
    name: str
    numerator: int
    denominator: int
    target: float | None
    points: float

    @computed_field  # type: ignore[prop-decorator]
    @property
    def rate(self) -> float | None:
        """numerator ÷ denominator; None when nothing was counted."""
        return self.numerator / self.denominator if self.denominator else None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def scored(self) -> float | None:
        """Points scored; None (not applicable) when the denominator is zero."""
        return None if self.rate is None else score(self.rate, self.points, self.target)


def indicator(spec_id: str, numerator: int, denominator: int) -> Indicator:
    """The indicator ``spec_id`` with its counts."""
    spec = SPECS[spec_id]
    return Indicator(
        id=spec.id,
        group=spec.group,
        name=spec.name,
        numerator=numerator,
        denominator=denominator,
        target=spec.target,
        points=spec.points,
    )


class ProcessingTime(_Frozen):
    """Average processing time of one procedure (reported, no points)."""

    procedure_code: str
    dossiers: int
    average_days: float


class AgencyKpis(_Frozen):
    """The indicators of one agency, or of all agencies when ``agency`` is None."""

    agency: str | None
    dossiers: int
    indicators: tuple[Indicator, ...]
    processing_times: tuple[ProcessingTime, ...]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def points_available(self) -> float:
        """Points of the applicable indicators (those with a non-zero denominator)."""
        return sum(i.points for i in self.indicators if i.scored is not None)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def total_score(self) -> float:
        """Points scored over the applicable indicators."""
        return sum(i.scored for i in self.indicators if i.scored is not None)

    def get(self, indicator_id: str) -> Indicator:
        """The indicator ``indicator_id``."""
        return next(i for i in self.indicators if i.id == indicator_id)


PROVIDED_NOTE = (
    "Procedures: those the agency provided in the period (at least one dossier received or "
    "processed in it), as the national portal counts them; not the whole catalogue."
)


class KpiReport(_Frozen):
    """KPIs per agency and overall for a period.

    Attributes:
        start: Start of the period (inclusive instant).
        end: End of the period (exclusive instant).
        now: When open dossiers were judged.
        timezone: The agency's zone: a date bound is that day's midnight there.
        disagreements: Finished dossiers whose recorded timeliness flag disagrees with the
            timeliness computed from their events (the computed one is what the KPIs count);
            a dossier without a recorded flag is not listed.
        notes: The definitions the figures follow, printed under the tables.
    """

    start: datetime | None
    end: datetime | None
    now: datetime
    timezone: str = "Asia/Ho_Chi_Minh"
    overall: AgencyKpis
    agencies: tuple[AgencyKpis, ...]
    disagreements: tuple[FlagDisagreement, ...] = ()
    notes: tuple[str, ...] = (PROVIDED_NOTE, TIMELINESS_NOTE)

    def agency(self, agency: str) -> AgencyKpis:
        """The KPIs of ``agency``."""
        return next(a for a in self.agencies if a.agency == agency)

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data."""
        return self.model_dump(mode="json")

    def render(self, console: Console) -> None:
        """Print one table per agency, then the overall one when it adds anything."""
        tables = list(self.agencies)
        if self.overall.agency is None and len(tables) != 1:
            tables.append(self.overall)
        zone = ZoneInfo(self.timezone)
        for kpis in tables:
            console.print(_table(kpis, _local(self.start, zone), _local(self.end, zone)))
        if self.disagreements:
            console.print(_disagreements(self.disagreements))
        else:
            console.print("Recorded timeliness flags agree with the events for every dossier.")
        for note in (f"Period: calendar days in {self.timezone}, end exclusive.", *self.notes):
            console.print(f"[dim]{note}[/dim]")


def _local(moment: datetime | None, zone: ZoneInfo) -> datetime | None:
    return None if moment is None else moment.astimezone(zone)


def _disagreements(rows: tuple[FlagDisagreement, ...]) -> Table:
    table = Table(title="Recorded timeliness that disagrees with the events (the KPIs use the "
                  "computed one)")  # fmt: skip
    for column in ("dossier", "agency", "procedure", "recorded", "computed", "why"):
        table.add_column(column)
    for r in rows:
        table.add_row(r.dossier_code, r.agency, r.procedure_code, r.recorded or "(none)",
                      r.computed, r.reason)  # fmt: skip
    return table


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def _bound(moment: datetime) -> str:
    """A local bound as a date when it is a midnight, else with its time."""
    return (
        f"{moment:%Y-%m-%d}" if moment.time() == datetime.min.time() else f"{moment:%Y-%m-%d %H:%M}"
    )


def _table(kpis: AgencyKpis, start: datetime | None, end: datetime | None) -> Table:
    period = _bound(start) if start else "…"
    period += f" → {_bound(end)}" if end else " → …"
    title = f"{kpis.agency or 'All agencies'} · {period} · {kpis.dossiers} dossiers"
    table = Table(title=title)
    for column in ("group", "indicator", "num/den", "rate", "target"):
        table.add_column(column)
    table.add_column("points", justify="right")
    for i in kpis.indicators:
        scored = "n/a" if i.scored is None else f"{i.scored:.2f}"
        table.add_row(
            i.group,
            i.name,
            f"{i.numerator}/{i.denominator}",
            _pct(i.rate),
            _pct(i.target),
            f"{scored} / {i.points:g}",
        )
    for t in kpis.processing_times:
        table.add_row("Progress", f"Avg processing {t.procedure_code}", f"{t.dossiers}", "", "",
                      f"{t.average_days:.2f} d")  # fmt: skip
    total = f"{kpis.total_score:.2f} / {kpis.points_available:g}"
    table.add_row("", "[bold]Total[/bold]", "", "", "", f"[bold]{total}[/bold]")
    return table
