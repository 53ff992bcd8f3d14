"""KPIs after Decision 766/QĐ-TTg, computed from the event log (LEGAL.md, "KPIs — Decision 766").

The log is folded into one record per dossier as of ``end`` (later events are ignored). A dossier
is *received* in the period when its ``dossier.submitted`` falls in it, and *in the period*
("received or processed") when it was submitted by ``end`` and was still open at ``start``.
Scoring (``_scoring.score``): full points when R ≥ T, else R * points / T; R * points without a
target. An indicator whose denominator is zero is not applicable: no points, none available.

Progress (20) — LEGAL.md "on-time rate … more than one supplement request counts as late":
  on_time = dossiers in the period that are on time ÷ those dossiers, excluding withdrawn and lapsed
  ones (ended by the citizen) and refused/rejected ones that ended without an appointment date.
  Timeliness is computed from the events by the one rule of ``_timeliness`` (appointment date, not
  the apology's extended date; supplement waits excluded; more than one request = late), for open
  and finished dossiers alike; the engine's recorded flag is only compared with it, and every
  finished dossier where the two disagree is listed in the report (``disagreements``).
  Average processing time per procedure (no points): dossiers completed in the period, calendar
  days from submission to completion minus the time waiting for a supplement.
Online services (12) — "full-process online dossiers ÷ dossiers of procedures eligible":
  full_process_online = received dossiers flagged ``full_process_online`` on submission ÷
  received dossiers whose procedure is eligible (online channel, no in-person step);
  online_e_result (T = 50%) = online dossiers completed in the period with a result delivered to the
  e-data store ÷ online dossiers completed in the period.
Online payment — "dossiers paid online ÷ (fee-bearing - fees all zero) (6)": received dossiers with
  ``fee.paid`` (the engine only takes payments through the payment platform, i.e. online) ÷
  received dossiers of procedures with a non-zero fee, less those with ``fee.exempted``;
  procedures_paid_online (2) = fee-bearing procedures the agency provided in the period with a
  dossier paid online ÷ fee-bearing procedures the agency provided in the period. A procedure is
  *provided* in the period when at least one of its dossiers was received or processed in it
  (the national portal's definition), not merely listed in the catalogue.
Digitisation — e_result (6) = dossiers completed in the period with ``result.issued`` (the engine's
  results are digitally signed documents) ÷ dossiers completed in the period; data_reuse (2,
  T = 80%) = received dossiers that queried the population database or that did not submit a
  document the procedure marks ``replaced_by`` a data source ÷ received dossiers; e_data_store (4) =
  dossiers completed in the period with a result delivered to the e-data store ÷ those dossiers
  (only the results half of the indicator: components taken from the store are not recorded);
  population_procedures (2) = procedures the agency provided in the period with a population
  verify step or a document replaced by population data ÷ procedures it provided;
  population_dossiers (2) = received dossiers with a ``verification.*`` event from the
  population database ÷ received dossiers (VNeID log-ins are not recorded).
Satisfaction — "100% - (late rate + complaint or dislike rate) (6, T = 90%)": over the on-time
  denominator N, (N - late - dissatisfied) ÷ N, floored at 0, where dissatisfied = a complaint
  (a feedback (PAKN) dossier filed about it by the period's end, or a rating marked as a
  complaint) or a dislike (rated with a score ≤ 2 of 1-5). As in the formula, a late dossier with
  a complaint counts twice. "Feedback handled on time (6)": one indicator per deadline (refuse
  ≤ 2, ask for more ≤ 5, answer ≤ 15, publish ≤ 2 working days), over the feedback dossiers'
  decisions of the period (``_feedback``); feedback dossiers count in no other indicator.

Left out, for lack of data in the engine: synced fee data (payment, 2), dossiers with digitised
components (digitisation, 4) and transparency (18).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime, timedelta, tzinfo
from operator import attrgetter
from typing import TypeVar

from motcua.analysis._dossier_facts import DossierFacts as _Dossier
from motcua.analysis._dossier_facts import as_utc, fold
from motcua.analysis._feedback import (
    FEEDBACK_INDICATORS,
    FEEDBACK_PROCEDURE,
    FeedbackDecision,
    feedback_decisions,
)
from motcua.analysis._period import DEFAULT_ZONE, agency_zone
from motcua.analysis._scoring import AgencyKpis, KpiReport, ProcessingTime, indicator
from motcua.analysis._timeliness import FlagDisagreement, is_late
from motcua.definitions import Catalog, Procedure, VerifyStep
from motcua.dossier import Event

__all__ = ["compute_kpis"]

_T = TypeVar("_T")


def compute_kpis(
    events: Iterable[Event],
    catalog: Catalog,
    *,
    agency: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    now: datetime | None = None,
    zone: tzinfo | None = None,
) -> KpiReport:
    """The Decision 766 KPIs per agency and overall for a period.

    Args:
        events: The event log, in any order.
        catalog: The procedure definitions the dossiers ran.
        agency: Only this agency's dossiers and procedures.
        start: Start of the period (inclusive); None for no bound.
        end: End of the period (exclusive); events at or after it are ignored.
        now: When open dossiers are judged against their due date; defaults to ``end`` or the
            current time, whichever is earlier.
        zone: The agency's time zone, in which the report shows its period and instants
            (Asia/Ho_Chi_Minh if None); the bounds themselves are instants.

    Returns:
        The report.
    """
    start, end = as_utc(start), as_utc(end)
    now = as_utc(now) or min(end or datetime.now(UTC), datetime.now(UTC))
    events = list(events)
    folded = [d for d in fold(events, catalog, end) if d.submitted_at is not None]
    # Feedback is not a procedure dossier: it scores only in its own indicators, and names the
    # dossiers complained about.
    complained = {d.about for d in folded if d.procedure_code == FEEDBACK_PROCEDURE}
    dossiers = [
        d
        for d in folded
        if d.procedure_code != FEEDBACK_PROCEDURE and (agency is None or d.agency == agency)
    ]
    for d in dossiers:
        d.complained = d.code in complained
    feedback = [
        f
        for f in feedback_decisions(events, end=end, now=now)
        if agency is None or f.agency == agency
    ]
    names = (
        [agency] if agency else sorted({d.agency for d in dossiers} | {f.agency for f in feedback})
    )
    zone = zone or agency_zone(DEFAULT_ZONE)
    period = _Period(start, now)
    return KpiReport(
        start=start,
        end=end,
        now=now,
        timezone=str(zone),
        overall=period.kpis(agency, dossiers, feedback, catalog),
        agencies=tuple(
            period.kpis(
                a,
                [d for d in dossiers if d.agency == a],
                [f for f in feedback if f.agency == a],
                catalog,
            )
            for a in names
        ),
        disagreements=tuple(period.disagreements(dossiers, zone)),
    )


class _Period:
    """The period's scope rules, applied to one agency's (or every) dossier."""

    def __init__(self, start: datetime | None, now: datetime) -> None:
        self.start, self.now = start, now

    def within(self, moment: datetime | None) -> bool:
        return moment is not None and (self.start is None or moment >= self.start)

    def late(self, d: _Dossier) -> bool:
        return is_late(
            supplements=d.supplements,
            due=d.due_at,
            finished_at=d.ended_at,
            now=self.now,
            clock_stopped=d.clock_stopped,
        )

    def disagreements(self, dossiers: list[_Dossier], zone: tzinfo) -> list[FlagDisagreement]:
        """The judged, finished dossiers of the period whose recorded flag says otherwise."""
        out = []
        for d in dossiers:
            if d.ended is None or not d.judged or not self.within(d.ended_at):
                continue
            late = self.late(d)
            # No flag is no disagreement (the synthetic log's rejections carry none): such a
            # dossier is judged by the rule like every other, and not listed.
            if d.timeliness is None or (d.timeliness == "late") == late:
                continue
            out.append(
                FlagDisagreement(
                    dossier_code=d.code,
                    agency=d.agency,
                    procedure_code=d.procedure_code,
                    recorded=d.timeliness,
                    computed="late" if late else "on_time",
                    reason=_reason(d, late, zone),
                )
            )
        return sorted(out, key=attrgetter("dossier_code"))

    def kpis(
        self,
        agency: str | None,
        dossiers: list[_Dossier],
        feedback: list[FeedbackDecision],
        catalog: Catalog,
    ) -> AgencyKpis:
        active = [d for d in dossiers if d.ended_at is None or self.within(d.ended_at)]
        received = [d for d in dossiers if self.within(d.submitted_at)]
        completed = [d for d in active if d.ended == "dossier.completed"]
        judged = [d for d in active if d.judged]
        late = sum(self.late(d) for d in judged)
        disliked = sum(d.dissatisfied for d in judged)
        eligible = [d for d in received if d.procedure and d.procedure.full_process_online]
        online_done = [d for d in completed if d.channel == "online"]
        payable = [d for d in received if _fee_bearing(d.procedure) and not d.exempted]
        procedures = _provided(active, catalog)
        paid = {(d.agency, d.procedure_code) for d in received if d.paid}
        fee_procs = [(a, p) for a, p in procedures if _fee_bearing(p)]
        counts = {
            "on_time": (len(judged) - late, len(judged)),
            "full_process_online": _share(eligible, attrgetter("full_process_online")),
            "online_e_result": _share(online_done, attrgetter("e_data_store")),
            "online_payment": _share(payable, attrgetter("paid")),
            "procedures_paid_online": _share(fee_procs, lambda ap: (ap[0], ap[1].code) in paid),
            "e_result": _share(completed, attrgetter("result_issued")),
            "data_reuse": _share(received, attrgetter("reused")),
            "e_data_store": _share(completed, attrgetter("e_data_store")),
            "population_procedures": _share(procedures, lambda ap: _uses_population(ap[1])),
            "population_dossiers": _share(received, attrgetter("population")),
            "satisfaction": (max(0, len(judged) - late - disliked), len(judged)),
        }
        decided = [f for f in feedback if self.within(f.decided_at)]
        for key in FEEDBACK_INDICATORS:
            counts[key] = _share([f for f in decided if f.indicator == key], attrgetter("on_time"))
        return AgencyKpis(
            agency=agency,
            dossiers=len(active),
            indicators=tuple(indicator(key, *pair) for key, pair in counts.items()),
            processing_times=_processing_times(completed),
        )


def _share(items: Sequence[_T], hit: Callable[[_T], bool]) -> tuple[int, int]:
    return sum(map(hit, items)), len(items)


def _reason(d: _Dossier, late: bool, zone: tzinfo) -> str:
    def local(moment: datetime | None) -> str:
        return "—" if moment is None else f"{moment.astimezone(zone):%Y-%m-%d %H:%M}"

    if d.supplements > 1:
        return f"{d.supplements} supplement requests (more than one counts as late)"
    if d.due_at is None:
        return "no appointment date: on time unless supplemented more than once"
    when = "after" if late else "by"
    reason = f"finished {local(d.ended_at)}, {when} its appointment date {local(d.due_at)}"
    if d.extended_to is not None:
        reason += f" (extended to {local(d.extended_to)}: the extension does not count)"
    return reason


def _provided(active: list[_Dossier], catalog: Catalog) -> list[tuple[str, Procedure]]:
    """The (agency, procedure) pairs with a dossier received or processed in the period, each
    procedure as its latest catalogue version (the portal counts procedures provided, not the
    catalogue)."""
    out = []
    for a, code in sorted({(d.agency, d.procedure_code) for d in active}):
        try:
            out.append((a, catalog.latest(code)))
        except KeyError:
            continue  # a bundle code or a procedure no longer in the catalogue
    return out


def _fee_bearing(procedure: Procedure | None) -> bool:
    return procedure is not None and procedure.fee is not None and not procedure.fee.is_free


def _uses_population(procedure: Procedure) -> bool:
    verifies = any(isinstance(s, VerifyStep) and s.adapter == "population" for s in procedure.steps)
    return verifies or any(d.replaced_by == "population" for d in procedure.documents)


def _processing_times(completed: list[_Dossier]) -> tuple[ProcessingTime, ...]:
    days: defaultdict[str, list[float]] = defaultdict(list)
    for d in completed:
        assert d.submitted_at is not None and d.ended_at is not None
        elapsed = (d.ended_at - d.submitted_at - d.waiting) * d.time_scale
        days[d.procedure_code].append(elapsed / timedelta(days=1))
    return tuple(
        ProcessingTime(
            procedure_code=code, dossiers=len(values), average_days=sum(values) / len(values)
        )
        for code, values in sorted(days.items())
    )
