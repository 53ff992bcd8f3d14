"""Confidence intervals, effect sizes and a rank test for the reengineering figures.

* **Bootstrap** (percentile method): resample the dossiers with replacement 1,000 times from
  a seeded generator, compute the statistic on each resample, and take the 2.5th and 97.5th
  percentiles of those values. It needs no assumption about the shape of lead times, which
  are right-skewed sums of waits. Above 2,000 values fewer resamples are drawn (never under
  200: ``resamples_for``), so a figure costs at most ~2M drawn values; such samples give
  narrow intervals, whose ends then move by a few percent of their width between seeds.
* **Cliff's delta**: ``P(b > a) - P(b < a)`` over all pairs, from -1 (every B below every A)
  to 1; 0 means neither tends to be larger. It reads the same for hours and for 0/1 flags.
* **Mann-Whitney U** with the normal approximation, corrected for ties and for continuity
  (Mann & Whitney 1947; Siegel & Castellan, *Nonparametric Statistics*, 2nd ed., 1988,
  §6.6): fine from about 20 values per sample, which :data:`MIN_SAMPLE` exceeds.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from motcua.analysis._worktime import FloatArray

__all__ = [
    "CONFIDENCE",
    "MIN_SAMPLE",
    "SMALL_SAMPLE_WHY",
    "Interval",
    "RankTest",
    "bootstrap",
    "bootstrap_pair",
    "cliffs_delta",
    "mann_whitney",
    "median",
    "p90",
]

CONFIDENCE = 0.95
RESAMPLES = 1000
MIN_RESAMPLES = 200
BUDGET = 2_000_000
MIN_SAMPLE = 30
SMALL_SAMPLE_WHY = (
    f"fewer than {MIN_SAMPLE} dossiers: fewer than 3 of them lie above the 90th percentile, so "
    "a resampled p90 only moves between those few values and its interval means little; the "
    "rank test's normal approximation also wants about 20 per sample"
)
"""The small-sample threshold and the reason for it, printed with every warning."""

Statistic = Callable[[FloatArray], FloatArray]
"""Reduces a (resamples, n) matrix along axis 1; one value per resample."""


def median(values: FloatArray) -> FloatArray:
    """Row-wise median, by the project's one percentile method (``_percentile``: type 7)."""
    return np.asarray(np.quantile(values, 0.5, axis=-1, method="linear"), dtype=np.float64)


def p90(values: FloatArray) -> FloatArray:
    """Row-wise 90th percentile, same method."""
    return np.asarray(np.quantile(values, 0.9, axis=-1, method="linear"), dtype=np.float64)


@dataclass(frozen=True)
class Interval:
    """A point estimate and its bootstrap confidence interval (None without data)."""

    value: float | None
    low: float | None
    high: float | None

    def excludes(self, point: float) -> bool:
        """Whether the interval lies wholly on one side of ``point``."""
        if self.low is None or self.high is None:
            return False
        return self.low > point or self.high < point


_EMPTY = Interval(None, None, None)


def _resampled(
    values: FloatArray, statistic: Statistic, rng: np.random.Generator, resamples: int
) -> FloatArray:
    """The statistic on ``resamples`` resamples, in chunks so memory stays ~8 MB."""
    n = len(values)
    chunk = max(1, 1_000_000 // max(n, 1))
    out = []
    for start in range(0, resamples, chunk):
        rows = min(chunk, resamples - start)
        out.append(statistic(values[rng.integers(0, n, size=(rows, n), dtype=np.int32)]))
    return np.concatenate(out)


def _interval(value: float, draws: FloatArray) -> Interval:
    tail = (1 - CONFIDENCE) / 2
    low, high = np.quantile(draws, [tail, 1 - tail], method="linear")
    return Interval(value, float(low), float(high))


def resamples_for(n: int) -> int:
    """How many resamples: :data:`RESAMPLES`, fewer (not under :data:`MIN_RESAMPLES`) for
    large samples, so one figure costs at most about :data:`BUDGET` drawn values."""
    return int(min(RESAMPLES, max(MIN_RESAMPLES, BUDGET // max(n, 1))))


def bootstrap(values: FloatArray, statistic: Statistic, *, seed: int = 0) -> Interval:
    """The statistic of ``values`` with its percentile-bootstrap interval."""
    values = np.asarray(values, dtype=np.float64)
    if not len(values):
        return _EMPTY
    rng = np.random.default_rng(seed)
    value = float(statistic(values[None, :])[0])
    return _interval(value, _resampled(values, statistic, rng, resamples_for(len(values))))


def bootstrap_pair(
    a: FloatArray, b: FloatArray, statistic: Statistic, *, seed: int = 0
) -> tuple[Interval, Interval, Interval]:
    """The statistic of ``a``, of ``b`` and ``statistic(b) - statistic(a)``, each with its
    interval; each sample resampled on its own, the same draws serving all three."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if not len(a) or not len(b):
        return bootstrap(a, statistic, seed=seed), bootstrap(b, statistic, seed=seed), _EMPTY
    rng = np.random.default_rng(seed)
    count = resamples_for(max(len(a), len(b)))
    value_a, value_b = float(statistic(a[None, :])[0]), float(statistic(b[None, :])[0])
    draws_a = _resampled(a, statistic, rng, count)
    draws_b = _resampled(b, statistic, rng, count)
    return (
        _interval(value_a, draws_a),
        _interval(value_b, draws_b),
        _interval(value_b - value_a, draws_b - draws_a),
    )


def _u_statistic(a: FloatArray, b: FloatArray) -> tuple[float, FloatArray]:
    """U of ``b`` (pairs where b beats a, ties half) and the tie-group sizes."""
    both = np.concatenate((a, b))
    _, inverse, counts = np.unique(both, return_inverse=True, return_counts=True)
    # Mid-ranks: a tie group starting after ``k`` smaller values holds ranks k+1 .. k+count.
    below = np.concatenate(([0], np.cumsum(counts)[:-1]))
    ranks = (below + (counts + 1) / 2.0)[inverse]
    rank_sum_b = float(ranks[len(a) :].sum())
    return rank_sum_b - len(b) * (len(b) + 1) / 2.0, counts.astype(np.float64)


def cliffs_delta(a: FloatArray, b: FloatArray) -> float | None:
    """Cliff's delta of ``b`` against ``a`` (positive: B tends to be larger)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if not len(a) or not len(b):
        return None
    u, _ = _u_statistic(a, b)
    return 2.0 * u / (len(a) * len(b)) - 1.0


@dataclass(frozen=True)
class RankTest:
    """Mann-Whitney U of sample B against A, its z score and two-sided p-value."""

    u: float
    z: float
    p_value: float


def mann_whitney(a: FloatArray, b: FloatArray) -> RankTest | None:
    """Two-sided Mann-Whitney U test, normal approximation (module docstring)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    n1, n2 = len(a), len(b)
    if not n1 or not n2:
        return None
    u, ties = _u_statistic(a, b)
    n = n1 + n2
    mean = n1 * n2 / 2.0
    tie_term = float((ties**3 - ties).sum()) / (n * (n - 1)) if n > 1 else 0.0
    variance = n1 * n2 / 12.0 * ((n + 1) - tie_term)
    if variance <= 0:  # every value equal: no evidence either way
        return RankTest(u=u, z=0.0, p_value=1.0)
    z = (abs(u - mean) - 0.5) / math.sqrt(variance)
    z = max(z, 0.0) * (1 if u >= mean else -1)
    return RankTest(u=u, z=z, p_value=math.erfc(abs(z) / math.sqrt(2)))
