"""Analysis of the event log: Decision 766 KPIs, bottlenecks, cut candidates and what-if.

Load the log once (`load_log` from the read model, `EventLog.from_events`, or the synthetic
`generate_log`), then ask `bottlenecks`, `cut_candidates` and `fit` + `what_if`. Everything runs
on numpy arrays, with working time measured on the working-day calendar (`WorkClock`).
"""

from motcua.analysis._board import BoardFigures, board_figures
from motcua.analysis._bottlenecks import BottleneckReport, ProcedureLead, StepStats, bottlenecks
from motcua.analysis._candidates import CutCandidate, Thresholds, cut_candidates
from motcua.analysis._chart import bottleneck_svg
from motcua.analysis._export import export_log
from motcua.analysis._kpis import compute_kpis
from motcua.analysis._log import EventLog, load_log
from motcua.analysis._ocel import write_ocel
from motcua.analysis._percentile import PERCENTILE_METHOD, Quantiles
from motcua.analysis._period import PeriodError, agency_zone, parse_bound
from motcua.analysis._render import render_report
from motcua.analysis._scoring import AgencyKpis, Indicator, KpiReport, ProcessingTime, score
from motcua.analysis._synthetic import generate, generate_log, sample_procedure
from motcua.analysis._timeliness import FlagDisagreement, is_late
from motcua.analysis._whatif import LeadModel, Projection, Scenario, WhatIf, fit, what_if
from motcua.analysis._worktime import WorkClock
from motcua.analysis._xes import write_xes

__all__ = [
    "PERCENTILE_METHOD",
    "AgencyKpis",
    "BoardFigures",
    "BottleneckReport",
    "CutCandidate",
    "EventLog",
    "FlagDisagreement",
    "Indicator",
    "KpiReport",
    "LeadModel",
    "PeriodError",
    "ProcedureLead",
    "ProcessingTime",
    "Projection",
    "Quantiles",
    "Scenario",
    "StepStats",
    "Thresholds",
    "WhatIf",
    "WorkClock",
    "agency_zone",
    "board_figures",
    "bottleneck_svg",
    "bottlenecks",
    "compute_kpis",
    "cut_candidates",
    "export_log",
    "fit",
    "generate",
    "generate_log",
    "is_late",
    "load_log",
    "parse_bound",
    "render_report",
    "sample_procedure",
    "score",
    "what_if",
    "write_ocel",
    "write_xes",
]
