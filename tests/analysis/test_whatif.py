"""What-if projections: removing, automating and staffing a step."""

from __future__ import annotations

import pytest

from motcua.analysis import (
    PERCENTILE_METHOD,
    BottleneckReport,
    LeadModel,
    Scenario,
    bottlenecks,
    fit,
    generate_log,
    what_if,
)
from motcua.analysis._whatif import erlang_wait

PROCEDURE = "1.004222"
# Share of lead time is a ratio of means; the projection compares medians. The lead time is a
# sum of right-skewed (log-normal) parts, so removing one part moves the median by a few points
# more or less than its share of the mean: 0.06 covers that, and is far below a real error (e.g.
# dropping the wrong step's time, or none, is off by 0.25 or more).
SHARE_TOLERANCE = 0.06


@pytest.fixture(scope="module")
def fitted() -> tuple[LeadModel, BottleneckReport]:
    log = generate_log(3000, seed=31, plant_bottleneck_step="sign", bottleneck_factor=6)
    return fit(log, procedure=PROCEDURE), bottlenecks(log)


@pytest.mark.parametrize("step", ["sign", "review"])
def test_removing_a_step_shortens_lead_time_by_its_share(
    fitted: tuple[LeadModel, BottleneckReport], step: str
) -> None:
    model, report = fitted
    result = what_if(model, Scenario("remove", step))
    cut = 1 - result.projected.median_hours / result.baseline.median_hours
    assert cut == pytest.approx(report.step(PROCEDURE, step).share, abs=SHARE_TOLERANCE)
    assert result.projected.on_time_rate >= result.baseline.on_time_rate


def test_the_baseline_is_the_lead_time_table(fitted: tuple[LeadModel, BottleneckReport]) -> None:
    # One percentile method on the same dossiers: the "before" column is the table's figure.
    model, report = fitted
    (lead,) = report.procedures
    result = what_if(model, Scenario("automate", "review"))
    assert result.dossiers == lead.completed + lead.open
    assert result.baseline.median_hours == pytest.approx(lead.lead_hours.median)
    assert result.baseline.p90_hours == pytest.approx(lead.lead_hours.p90)
    assert result.percentile_method == PERCENTILE_METHOD


def test_more_officers_mean_less_waiting(fitted: tuple[LeadModel, BottleneckReport]) -> None:
    model, _ = fitted
    medians = [
        what_if(model, Scenario("staff", "sign", officers=k)).projected.median_hours
        for k in (0, 1, 3)
    ]
    baseline = what_if(model, Scenario("staff", "sign")).baseline.median_hours
    assert medians[0] == pytest.approx(baseline)
    assert medians[0] > medians[1] > medians[2]


def test_the_result_is_json_with_its_percentile_method(
    fitted: tuple[LeadModel, BottleneckReport],
) -> None:
    data = what_if(fitted[0], Scenario("automate", "sign")).to_dict()
    assert data["scenario"]["action"] == "automate"
    assert "Hyndman & Fan type 7" in data["percentile_method"]


def test_an_unknown_step_is_refused(fitted: tuple[LeadModel, BottleneckReport]) -> None:
    with pytest.raises(ValueError, match="no tasks"):
        what_if(fitted[0], Scenario("remove", "fee"))


def test_erlang_c_matches_the_single_server_formula() -> None:
    # M/M/1 with utilisation 0.5 and mean service 1 h waits rho / (1 - rho) = 1 h on average.
    assert erlang_wait(1, 0.5, 1.0) == pytest.approx(1.0)
    assert erlang_wait(2, 2.0, 1.0) == float("inf")
