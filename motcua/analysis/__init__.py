"""Analysis of the event log: Decision 766 KPIs, bottlenecks, cut candidates, what-if, draft
simulation and version comparison.

Load the log once (`load_log` from the read model, `EventLog.from_events`, or the synthetic
`generate_log`), then ask `bottlenecks`, `cut_candidates` and `fit` + `what_if`. Everything runs
on numpy arrays, with working time measured on the working-day calendar (`WorkClock`).
"""

from motcua.analysis._board import BoardFigures, board_figures
from motcua.analysis._bottlenecks import (
    BottleneckReport,
    ProcedureLead,
    StepStats,
    bottlenecks,
    by_share,
)
from motcua.analysis._candidates import (
    CutCandidate,
    Thresholds,
    cut_candidates,
    document_sources,
)
from motcua.analysis._chart import bottleneck_svg
from motcua.analysis._compare import Comparison, Effect, compare
from motcua.analysis._compare_chart import compare_svg
from motcua.analysis._export import export_log
from motcua.analysis._feedback import FEEDBACK_PROCEDURE
from motcua.analysis._kpis import compute_kpis
from motcua.analysis._log import EventLog, load_log
from motcua.analysis._ocel import write_ocel
from motcua.analysis._percentile import PERCENTILE_METHOD, Quantiles
from motcua.analysis._period import PeriodError, agency_zone, parse_bound
from motcua.analysis._propose import Draft, propose
from motcua.analysis._render import render_report
from motcua.analysis._scoring import AgencyKpis, Indicator, KpiReport, ProcessingTime, score
from motcua.analysis._simulate import Figures, Simulation, simulate
from motcua.analysis._simulate_service import (
    NoDossiers,
    check_draft,
    compare_versions,
    simulate_draft,
    version_before,
)
from motcua.analysis._simulate_traces import Traces, observe
from motcua.analysis._synthetic import generate, generate_log, sample_procedure
from motcua.analysis._synthetic_versions import VersionBatch, generate_versions, versions_of
from motcua.analysis._timeliness import FlagDisagreement, is_late
from motcua.analysis._whatif import (
    LeadModel,
    Projection,
    Scenario,
    WhatIf,
    by_effect,
    fit,
    what_if,
)
from motcua.analysis._worktime import WorkClock
from motcua.analysis._xes import write_xes

__all__ = [
    "FEEDBACK_PROCEDURE",
    "PERCENTILE_METHOD",
    "AgencyKpis",
    "BoardFigures",
    "BottleneckReport",
    "Comparison",
    "CutCandidate",
    "Draft",
    "Effect",
    "EventLog",
    "Figures",
    "FlagDisagreement",
    "Indicator",
    "KpiReport",
    "LeadModel",
    "NoDossiers",
    "PeriodError",
    "ProcedureLead",
    "ProcessingTime",
    "Projection",
    "Quantiles",
    "Scenario",
    "Simulation",
    "StepStats",
    "Thresholds",
    "Traces",
    "VersionBatch",
    "WhatIf",
    "WorkClock",
    "agency_zone",
    "board_figures",
    "bottleneck_svg",
    "bottlenecks",
    "by_effect",
    "by_share",
    "check_draft",
    "compare",
    "compare_svg",
    "compare_versions",
    "compute_kpis",
    "cut_candidates",
    "document_sources",
    "export_log",
    "fit",
    "generate",
    "generate_log",
    "generate_versions",
    "is_late",
    "load_log",
    "observe",
    "parse_bound",
    "propose",
    "render_report",
    "sample_procedure",
    "score",
    "simulate",
    "simulate_draft",
    "version_before",
    "versions_of",
    "what_if",
    "write_ocel",
    "write_xes",
]
