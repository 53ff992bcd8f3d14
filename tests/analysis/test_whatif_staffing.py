"""One more officer shortens the projected waiting, even where the log records no working time
(officers who decide without claiming first: the engine records the claim at the decision)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from motcua.analysis import EventLog, Scenario, bottlenecks, fit, generate_log, what_if

PROCEDURE = "1.004222"


def _claimed_when_decided(log: EventLog) -> EventLog:
    """``log`` as if every officer had claimed each task only when deciding it."""
    at = log.at.copy()
    decided = np.flatnonzero(log.is_type("task.decided"))
    decided_at = dict(zip(log.task[decided].tolist(), at[decided].tolist(), strict=True))
    for row in np.flatnonzero(log.is_type("task.claimed")).tolist():
        at[row] = decided_at.get(int(log.task[row]), at[row])
    return replace(log, at=at)


def test_one_more_officer_shortens_the_wait_when_no_working_time_is_recorded() -> None:
    log = _claimed_when_decided(
        generate_log(1500, seed=31, plant_bottleneck_step="review", bottleneck_factor=6)
    )
    review = bottlenecks(log).step(PROCEDURE, "review")
    assert review.working_hours.p90 == 0.0 and review.waiting_hours.median  # all of it waiting
    result = what_if(fit(log, procedure=PROCEDURE), Scenario("staff", "review", officers=1))
    assert result.projected.median_hours < result.baseline.median_hours
    assert result.projected.on_time_rate >= result.baseline.on_time_rate
