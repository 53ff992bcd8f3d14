"""Prometheus metrics: module constants, ``motcua_`` prefix, low-cardinality labels only.

They are fed from the event log as it is projected (``observe_events``), so a metric counts a
hand-off exactly once even when an activity is retried. Adapter calls are counted and timed where
they happen (``activities._errors.call_adapter``). Figures that must be right across processes —
open and overdue tasks, open dossiers — are read from the read model at scrape time by
``ReadModelCollector`` (``_collector.py``). ``docs/metrics.md`` documents every metric.
"""

from __future__ import annotations

from collections.abc import Iterable

from prometheus_client import Counter, Gauge, Histogram

from motcua.dossier import (
    DeadlineExtended,
    DossierSubmitted,
    Event,
    SupplementRequested,
    TaskClaimed,
    TaskCreated,
    TaskDecided,
)

_HOURS = (0.5, 1, 2, 4, 8, 16, 24, 40, 80, 160, 320)

DOSSIERS_SUBMITTED = Counter(
    "motcua_dossiers_submitted_total", "Dossiers submitted", ["procedure", "agency", "channel"]
)
DOSSIERS_FINISHED = Counter(
    "motcua_dossiers_finished_total",
    "Dossiers that reached an end: completed, refused, rejected, withdrawn or lapsed",
    ["procedure", "agency", "outcome", "timeliness"],
)
TASK_WAIT_SECONDS = Histogram(
    "motcua_task_waiting_seconds",
    "Wall time from task creation to claim",
    ["procedure", "step", "agency"],
    buckets=[h * 3600 for h in _HOURS],
)
TASK_DURATION_SECONDS = Histogram(
    "motcua_step_duration_seconds",
    "Wall time from task creation to decision",
    ["procedure", "step", "agency"],
    buckets=[h * 3600 for h in _HOURS],
)
SLA_BREACHES = Counter(
    "motcua_sla_breaches_total", "Steps decided after their SLA", ["procedure", "step", "agency"]
)
SUPPLEMENT_REQUESTS = Counter(
    "motcua_supplement_requests_total", "Requests to supplement", ["procedure", "step"]
)
PAYMENTS = Counter("motcua_payments_total", "Payment events by status", ["procedure", "status"])
DEADLINE_EXTENSIONS = Counter(
    "motcua_deadline_extensions_total", "Apologies with a new due date", ["procedure", "agency"]
)
EVENTS_PROJECTED = Counter("motcua_events_projected_total", "Events written to the log", ["type"])
ADAPTER_CALLS = Counter(
    "motcua_adapter_calls_total", "Calls to agency adapters", ["adapter", "operation", "result"]
)
ADAPTER_CALL_SECONDS = Histogram(
    "motcua_adapter_call_seconds",
    "Wall time of one call to an agency adapter, whatever its result",
    ["adapter", "operation"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)
OUTBOX_DELIVERIES = Counter(
    "motcua_outbox_deliveries_total",
    "Attempts to deliver an outbox event, by target (webhook / portal) and result "
    "(delivered / retry / parked)",
    ["target", "result"],
)
OUTBOX_ATTEMPT_SECONDS = Histogram(
    "motcua_outbox_attempt_seconds",
    "Wall time of one delivery attempt (a webhook POST or a portal push), whatever its result",
    ["target"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
OUTBOX_LAG_SECONDS = Histogram(
    "motcua_outbox_lag_seconds",
    "From an event entering the outbox to its delivery (retries and blocked lines included)",
    ["target"],
    buckets=(0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 4 * 3600, 24 * 3600),
)
OUTBOX_BACKLOG = Gauge(
    "motcua_outbox_backlog",
    "Undelivered deliveries now, by target and status (pending / parked), as the dispatcher "
    "last counted them",
    ["target", "status"],
)
# The API's requests (motcua/api/_request_metrics.py): labelled by route template, never the path.
HTTP_REQUESTS = Counter(
    "motcua_http_requests_total",
    "HTTP requests answered by the API and the console, by method, route template and status code",
    ["method", "route", "status"],
)
HTTP_REQUEST_SECONDS = Histogram(
    "motcua_http_request_duration_seconds",
    "Wall time from a request's arrival to the end of its answer, by method and route template",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
HTTP_IN_FLIGHT = Gauge(
    "motcua_http_requests_in_flight", "HTTP requests being answered now by this process"
)

_FINAL = {
    "dossier.completed": "completed",
    "dossier.refused": "refused",
    "dossier.rejected": "rejected",
    "dossier.withdrawn": "withdrawn",
    "dossier.lapsed": "lapsed",
}
_PAYMENT_STATUS = {
    "fee.requested": "requested",
    "fee.paid": "paid",
    "fee.refunded": "refunded",
    "fee.duplicate": "duplicate",
    "fee.mismatched": "mismatched",
    "fee.exempted": "exempted",
}


def observe_events(events: Iterable[Event]) -> None:
    """Update the metrics for events newly written to the log."""
    for e in events:
        EVENTS_PROJECTED.labels(e.type).inc()
        proc, agency = e.procedure_code, e.agency
        match e:
            case DossierSubmitted():
                DOSSIERS_SUBMITTED.labels(proc, agency, e.channel or "unknown").inc()
                for timeliness in ("early", "on_time", "late"):
                    DOSSIERS_FINISHED.labels(proc, agency, "completed", timeliness)  # at zero
            case _ if e.type in _FINAL:
                DOSSIERS_FINISHED.labels(proc, agency, _FINAL[e.type], e.timeliness or "none").inc()
            case _ if e.type in _PAYMENT_STATUS:
                PAYMENTS.labels(proc, _PAYMENT_STATUS[e.type]).inc()
            case SupplementRequested():
                SUPPLEMENT_REQUESTS.labels(proc, e.step_id or "").inc()
            case DeadlineExtended():
                DEADLINE_EXTENSIONS.labels(proc, agency).inc()
            case TaskCreated():
                # The step's counters exist at zero from its first task on: an alert's rate()
                # then sees the first breach as an increase (a series born at 1 has none).
                labels = (proc, e.step_id or "", e.task_agency)
                SLA_BREACHES.labels(*labels)
                TASK_DURATION_SECONDS.labels(*labels)
            case TaskDecided():
                _observe_task_decided(e)
            case TaskClaimed():
                # The task's own agency: a consultation's task is held by the consulted agency.
                labels = (proc, e.step_id or "", e.task_agency)
                TASK_WAIT_SECONDS.labels(*labels).observe(e.waited_seconds)


def _observe_task_decided(e: TaskDecided) -> None:
    labels = (e.procedure_code, e.step_id or "", e.task_agency)
    TASK_DURATION_SECONDS.labels(*labels).observe(e.duration_seconds)
    if e.timeliness == "late":
        SLA_BREACHES.labels(*labels).inc()
