"""Cut candidates: rubber stamps, documents a database provides, routinely late steps."""

from __future__ import annotations

from collections import Counter

import pytest

from motcua.analysis import (
    CutCandidate,
    EventLog,
    Thresholds,
    bottlenecks,
    cut_candidates,
    generate,
    generate_log,
    sample_procedure,
)
from motcua.dossier import SupplementRequested

PROCEDURE = "1.004222"


@pytest.fixture(scope="module")
def log() -> EventLog:
    return generate_log(
        2000, seed=21, plant_rubber_stamp_step="sign", plant_bottleneck_step="review"
    )


def _found(log: EventLog, **kwargs: object) -> dict[tuple[str, str], CutCandidate]:
    definitions = {PROCEDURE: sample_procedure()}
    found = cut_candidates(bottlenecks(log), log, definitions=definitions, **kwargs)  # type: ignore[arg-type]
    return {(c.kind, c.subject): c for c in found}


def test_the_planted_rubber_stamp_is_flagged_and_varying_steps_are_not(log: EventLog) -> None:
    found = _found(log)
    stamp = found[("rubber_stamp", "sign")]
    assert stamp.evidence["outcome"] == "approve"
    assert stamp.evidence["share"] == 1.0
    assert stamp.evidence["decisions"] >= 50
    # Receipt (accept / supplement / refuse) and review (approve / supplement / reject) vary.
    assert [k for k in found if k[0] == "rubber_stamp"] == [("rubber_stamp", "sign")]


def test_thresholds_are_configurable(log: EventLog) -> None:
    lax = _found(log, thresholds=Thresholds(stamp_share=0.85))
    assert ("rubber_stamp", "receive") in lax  # about 89% accept
    few = generate_log(30, seed=2, plant_rubber_stamp_step="sign")
    assert ("rubber_stamp", "sign") not in _found(few)  # fewer than 50 decisions


def test_documents_a_database_provides_are_reported_with_counts() -> None:
    events = generate(300, seed=4)
    asked = Counter(
        doc for e in events if isinstance(e, SupplementRequested) for doc in e.missing_documents
    )
    found = _found(EventLog.from_events(events))
    documents = {k[1]: c for k, c in found.items() if k[0] == "database_document"}
    assert set(documents) == {"lawful_residence", "relationship"}  # ct01 has no data source
    assert documents["lawful_residence"].evidence["source"] == "land_registry"
    assert documents["relationship"].evidence["source"] == "population"
    for doc, candidate in documents.items():
        assert candidate.evidence["requests"] == asked[doc] > 0


def test_a_routinely_late_step_is_flagged(log: EventLog) -> None:
    found = _found(log)
    late = found[("sla_overrun", "review")]  # 24 h median wait against a 4-day (32 h) SLA
    assert late.evidence["breach_rate"] >= 0.3
    assert late.evidence["tasks"] >= 20
    assert ("sla_overrun", "receive") not in found
