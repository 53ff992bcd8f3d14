"""``compare``: two versions before and after, on the dossiers each ran."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from motcua.analysis import compare, compare_svg
from motcua.analysis._stats import MIN_SAMPLE, cliffs_delta, mann_whitney
from motcua.analysis._worktime import from_epoch
from tests.analysis.versions_log import DOSSIERS, reworded, two_versions, version_1, without_sign


def test_the_removed_step_shows_as_a_shorter_lead_time() -> None:
    log, versions = two_versions()
    result = compare(log, versions, version_1(), without_sign())
    lead = result.figure("lead_hours")
    assert lead.verdict == "lower"
    assert lead.difference.high is not None and lead.difference.high < 0
    assert lead.p_value is not None and lead.p_value < 0.001
    assert lead.cliffs_delta is not None and lead.cliffs_delta < -0.2
    sign = next(s for s in result.steps if s.step == "sign")
    assert sign.waiting.n_b == 0 and sign.waiting.verdict == "not tested"
    review = next(s for s in result.steps if s.step == "review")
    assert review.working.verdict == "no detectable difference"
    assert result.straddling.dossiers == 0 and result.warnings == []


def test_versions_that_differ_only_in_wording_show_no_difference() -> None:
    log, versions = two_versions("reworded")
    result = compare(log, versions, version_1(), reworded())
    lead = result.figure("lead_hours")
    assert lead.verdict == "no detectable difference"
    assert lead.difference.low is not None and lead.difference.low <= 0 <= lead.difference.high  # type: ignore[operator]
    assert lead.cliffs_delta is not None and abs(lead.cliffs_delta) < 0.1


def test_dossiers_open_across_the_change_are_reported_apart() -> None:
    # Version 2 comes into force while version 1's dossiers are still coming in and open.
    log, versions = two_versions()
    submitted = np.sort(log.at[log.is_type("dossier.submitted")])
    in_force = from_epoch(float(submitted[DOSSIERS - 50]))
    result = compare(log, versions, version_1(), without_sign(), b_in_force=in_force)
    assert result.straddling.dossiers > 0
    assert result.dossiers_a + result.straddling.dossiers == DOSSIERS  # each counted once
    assert result.b_in_force == in_force.isoformat()


def test_a_period_selects_by_submission_and_small_samples_are_flagged() -> None:
    log, versions = two_versions()
    result = compare(
        log, versions, version_1(), without_sign(),
        start=datetime(2026, 5, 4, tzinfo=UTC), end=datetime(2026, 5, 6, tzinfo=UTC),
    )  # fmt: skip
    assert result.dossiers_a == 0 and 0 < result.dossiers_b < MIN_SAMPLE
    assert result.figure("lead_hours").verdict == "not tested"
    (warning,) = result.warnings
    assert "A has 0" in warning and f"fewer than {MIN_SAMPLE} dossiers" in warning


def test_the_chart_names_each_step_and_marks_the_change() -> None:
    log, versions = two_versions()
    svg = compare_svg(compare(log, versions, version_1(), without_sign()))
    assert svg.startswith("<?xml") and "<svg" in svg
    assert "lead time ↓" in svg and "sign wait" in svg and "version 2 (600 dossiers)" in svg
    assert "pygal-tooltips" not in svg  # opens offline: no script fetched from a CDN


# Wikipedia, "Mann-Whitney U test", illustration: the order in which 6 tortoises (T) and 6
# hares (H) finish, T H H H H H T T T T T H; U = 11 for one group, 25 for the other. The
# two-sided p-value by the normal approximation with continuity correction is 0.298 (R:
# wilcox.test(t, h, exact = FALSE, correct = TRUE)).
TORTOISES = [1, 7, 8, 9, 10, 11]
HARES = [2, 3, 4, 5, 6, 12]


def test_the_rank_test_gives_the_textbook_values() -> None:
    test = mann_whitney(np.array(TORTOISES, float), np.array(HARES, float))
    assert test is not None
    assert test.u == 11
    assert test.p_value == pytest.approx(0.298, abs=0.0005)
    reverse = mann_whitney(np.array(HARES, float), np.array(TORTOISES, float))
    assert reverse is not None and reverse.u == 25 and reverse.p_value == test.p_value


def test_ties_count_half_and_identical_samples_show_nothing() -> None:
    # Pairs: 3 where B is larger, 1 tie (2, 2), none smaller: (3 - 0) / 4.
    assert cliffs_delta(np.array([1.0, 2.0]), np.array([2.0, 3.0])) == pytest.approx(0.75)
    same = mann_whitney(np.ones(10), np.ones(12))
    assert same is not None and same.p_value == 1.0
    assert cliffs_delta(np.array(TORTOISES, float), np.array(HARES, float)) == pytest.approx(
        2 * 11 / 36 - 1
    )
