"""``simulate``: a draft replayed on the dossiers observed under the version in force."""

from __future__ import annotations

import pytest

from motcua.analysis import Simulation, observe, simulate
from motcua.analysis._stats import MIN_SAMPLE
from tests.analysis.versions_log import of_version, two_versions, version_1, without_sign


@pytest.fixture(scope="module")
def projected() -> tuple[Simulation, Simulation]:
    """The draft (no signature) replayed on version 1's dossiers, and version 2's real ones."""
    log, versions = two_versions()
    draft = without_sign()
    on_v1 = simulate(observe(of_version(log, versions, 1), version_1()), version_1(), draft)
    real_v2 = simulate(observe(of_version(log, versions, 2), draft), draft, draft)
    return on_v1, real_v2


def test_the_draft_projects_the_lead_time_the_later_dossiers_show(
    projected: tuple[Simulation, Simulation],
) -> None:
    on_v1, real_v2 = projected
    assert on_v1.removed == ["sign"]
    before = on_v1.observed.lead_median_hours
    projection = on_v1.projected.lead_median_hours
    real = real_v2.observed.lead_median_hours
    assert before.value and projection.value and real.value and real.low and real.high
    assert projection.low is not None and projection.high is not None
    # Both are estimates from samples of 600: the projected interval must meet the interval
    # the real version-2 dossiers show (a projection point inside the other sample's interval
    # would fail for about one seed in five even for a perfect model, since both vary).
    assert projection.low <= real.high and real.low <= projection.high
    # ... and the planted cut (about 3 working hours of 11) is recovered, not merely overlapped.
    assert abs(projection.value - real.value) < 0.25 * (before.value - real.value)


def test_officer_hours_drop_by_the_removed_step(projected: tuple[Simulation, Simulation]) -> None:
    on_v1, real_v2 = projected
    saved = on_v1.observed.officer_hours.value - on_v1.projected.officer_hours.value  # type: ignore[operator]
    assert saved > 0.3  # the signature's median working time is 0.5 h
    assert on_v1.projected.officer_hours.low <= real_v2.observed.officer_hours.high  # type: ignore[operator]


def test_a_draft_that_changes_nothing_projects_what_was_observed() -> None:
    log, versions = two_versions()
    traces = observe(of_version(log, versions, 1), version_1())
    same = simulate(traces, version_1(), version_1())
    unchanged = ("lead_median_hours", "lead_p90_hours", "on_time_rate", "officer_hours", "visits")
    for figure in unchanged:
        assert getattr(same.projected, figure) == getattr(same.observed, figure)
    # The generated officers asked for documents a database provides; the engine would not.
    assert same.projected.documents.value < same.observed.documents.value  # type: ignore[operator]
    assert (same.removed, same.automated, same.new) == ([], [], [])


def test_moving_work_onto_a_shared_role_makes_its_dossiers_wait() -> None:
    # The signature given to the residence officers who also review: one queue for both.
    v1 = version_1()
    sign = v1.step("sign").model_copy(update={"role": "residence-officer", "four_eyes_with": []})
    shared = v1.model_copy(
        update={"version": 2, "steps": [sign if s.id == "sign" else s for s in v1.steps]}
    )
    log, versions = two_versions()
    result = simulate(observe(of_version(log, versions, 1), v1), v1, shared)
    assert result.projected.lead_median_hours.value > result.observed.lead_median_hours.value  # type: ignore[operator]
    assert result.projected.officer_hours == result.observed.officer_hours


def test_a_step_made_automatic_costs_no_officer_time() -> None:
    v1 = version_1()
    machine = {"id": "sign", "kind": "verify", "adapter": "population", "checks": ["identity"]}
    steps = [s.model_dump() if s.id != "sign" else machine for s in v1.steps]
    automated = type(v1).model_validate({**v1.model_dump(), "version": 2, "steps": steps})
    log, versions = two_versions()
    traces = observe(of_version(log, versions, 1), v1)
    result = simulate(traces, v1, automated)
    removed = simulate(traces, v1, without_sign())
    assert result.automated == ["sign"] and result.removed == []
    assert result.projected.lead_median_hours == removed.projected.lead_median_hours


def test_a_small_sample_is_flagged_with_its_threshold() -> None:
    log, versions = two_versions()
    few = sorted(code for code, v in versions.items() if v == 1)[:20]
    result = simulate(
        observe(log.select(dossiers=set(few)), version_1()), version_1(), without_sign()
    )
    assert result.dossiers < MIN_SAMPLE
    (warning,) = result.warnings
    assert f"fewer than {MIN_SAMPLE} dossiers" in warning and "90th percentile" in warning
