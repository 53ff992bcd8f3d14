"""Cut candidates: steps and document requests the log suggests could go, with the evidence.

Three kinds, each a :class:`CutCandidate` whose ``evidence`` holds the numbers behind it:

- ``rubber_stamp``: a human step whose decisions are one outcome in at least ``stamp_share``
  (98%) of at least ``stamp_min_decisions`` (50). A step whose outcomes do vary is never flagged.
- ``database_document``: a document requested in supplements that a data source provides: the
  procedure definition says so (``replaced_by``), so asking the citizen was avoidable; or another
  procedure of the catalog takes the same document from a data source (``sources``), so this
  one could too (``evidence["marked"]`` is false: the definition should say ``replaced_by``).
- ``sla_overrun``: a step decided after its SLA in at least ``breach_rate`` (30%) of at least
  ``breach_min_tasks`` (20) tasks with an SLA.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import numpy as np

from motcua.analysis._bottlenecks import BottleneckReport
from motcua.analysis._log import EventLog
from motcua.definitions import Procedure

CandidateKind = Literal["rubber_stamp", "database_document", "sla_overrun"]


@dataclass(frozen=True)
class Thresholds:
    """When a step or document becomes a candidate."""

    stamp_share: float = 0.98
    stamp_min_decisions: int = 50
    breach_rate: float = 0.30
    breach_min_tasks: int = 20
    document_min_requests: int = 1


@dataclass(frozen=True)
class CutCandidate:
    """A step or document that could be cut, why, and the numbers behind it.

    Attributes:
        kind: What sort of candidate.
        procedure: The procedure code.
        subject: The step id, or the document id for ``database_document``.
        reason: One sentence a person can read.
        evidence: The figures the reason rests on.
    """

    kind: CandidateKind
    procedure: str
    subject: str
    reason: str
    evidence: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The candidate as plain JSON-ready data."""
        return asdict(self)


def cut_candidates(
    report: BottleneckReport,
    log: EventLog,
    *,
    definitions: Mapping[str, Procedure] | None = None,
    thresholds: Thresholds | None = None,
    sources: Mapping[str, tuple[str, str]] | None = None,
) -> tuple[CutCandidate, ...]:
    """The cut candidates of a bottleneck report and its event log.

    Args:
        report: The report of ``log`` (per-step outcomes and breaches).
        log: The event log (for the documents requested in supplements).
        definitions: Procedure definitions by code, for the documents' ``replaced_by``; without
            them no ``database_document`` candidates are given.
        thresholds: The limits; the defaults of :class:`Thresholds` if None.
        sources: Document id → (data source, procedure code) for documents some procedure of
            the catalog takes from a data source (see :func:`document_sources`).
    """
    t = thresholds or Thresholds()
    found: list[CutCandidate] = []
    for s in report.steps:
        decided = sum(s.outcomes.values())
        if decided >= t.stamp_min_decisions:
            top, count = max(s.outcomes.items(), key=lambda kv: kv[1])
            if count / decided >= t.stamp_share:
                found.append(
                    CutCandidate(
                        kind="rubber_stamp",
                        procedure=s.procedure,
                        subject=s.step,
                        reason=f"'{top}' in {count / decided:.1%} of {decided} decisions",
                        evidence={
                            "decisions": decided,
                            "outcome": top,
                            "share": count / decided,
                            "outcomes": dict(s.outcomes),
                        },
                    )
                )
        if s.with_sla >= t.breach_min_tasks and s.breach_rate >= t.breach_rate:
            found.append(
                CutCandidate(
                    kind="sla_overrun",
                    procedure=s.procedure,
                    subject=s.step,
                    reason=f"SLA exceeded in {s.breach_rate:.0%} of {s.with_sla} tasks",
                    evidence={
                        "tasks": s.with_sla,
                        "breaches": s.sla_breaches,
                        "breach_rate": s.breach_rate,
                        "median_working_hours": s.working_hours.median,
                        "median_waiting_hours": s.waiting_hours.median,
                    },
                )
            )
    if definitions:
        found += _database_documents(log, definitions, t, sources or {})
    return tuple(found)


def document_sources(procedures: Iterable[Procedure]) -> dict[str, tuple[str, str]]:
    """Document id → (data source, procedure code) for each document some procedure takes
    from a data source (``replaced_by``)."""
    return {d.id: (d.replaced_by, p.code) for p in procedures for d in p.documents if d.replaced_by}


def _database_documents(
    log: EventLog,
    definitions: Mapping[str, Procedure],
    t: Thresholds,
    sources: Mapping[str, tuple[str, str]],
) -> list[CutCandidate]:
    if not len(log.doc):
        return []
    rows = log.doc_event
    key = log.procedure[rows] * (len(log.doc_names) + 1) + log.doc
    pairs, requests = np.unique(key, return_counts=True)
    dossiers = np.unique(key * len(log.dossier_names) + log.dossier[rows]) // len(log.dossier_names)
    per_pair = np.bincount(np.searchsorted(pairs, dossiers), minlength=len(pairs))
    found = []
    for k, n, nd in zip(pairs.tolist(), requests.tolist(), per_pair.tolist(), strict=True):
        code = log.procedure_names[k // (len(log.doc_names) + 1)]
        doc_id = log.doc_names[k % (len(log.doc_names) + 1)]
        definition = definitions.get(code)
        doc = definition.document(doc_id) if definition else None
        if doc is None or n < t.document_min_requests:
            continue
        if doc.replaced_by is not None:
            source, reason = (
                doc.replaced_by,
                f"requested {n} times though {doc.replaced_by} provides it",
            )
        elif doc_id in sources:
            source, elsewhere = sources[doc_id]
            reason = f"requested {n} times; {source} provides it to procedure {elsewhere}"
        else:
            continue
        found.append(
            CutCandidate(
                kind="database_document",
                procedure=code,
                subject=doc_id,
                reason=reason,
                evidence={
                    "requests": n,
                    "dossiers": nd,
                    "source": source,
                    "marked": doc.replaced_by is not None,
                },
            )
        )
    return found
