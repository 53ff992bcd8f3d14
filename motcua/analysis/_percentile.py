"""The one percentile method of every figure: the lead-time table, the step table, the what-if.

Linear interpolation between the closest ranks (Hyndman & Fan type 7, numpy's ``"linear"``,
Excel's PERCENTILE.INC): for ``n`` sorted values the q-th quantile sits at position
``q * (n - 1)``, interpolated between its neighbours. Every output names it in its footnote
(:data:`PERCENTILE_METHOD`), so a reader can recompute any figure by hand.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["PERCENTILE_METHOD", "Quantiles", "grouped_quantiles", "quantiles"]

PERCENTILE_METHOD = (
    "percentiles by linear interpolation between closest ranks (Hyndman & Fan type 7, "
    "Excel PERCENTILE.INC): position q * (n - 1) of the n sorted values"
)

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Quantiles:
    """Median and 90th percentile in working hours (None when there is no observation)."""

    median: float | None
    p90: float | None


def grouped_quantiles(group: IntArray, values: FloatArray, n: int) -> list[Quantiles]:
    """Median and p90 of ``values`` per group id in ``range(n)`` (NaN values ignored)."""
    ok = np.isfinite(values)
    group, values = group[ok], values[ok]
    order = np.lexsort((values, group))
    g, v = group[order], values[order]
    counts = np.bincount(g, minlength=n)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    out: list[list[float | None]] = []
    for q in (0.5, 0.9):
        pos = starts + q * np.maximum(counts - 1, 0)
        lo = np.minimum(np.floor(pos).astype(np.int64), max(len(v) - 1, 0))
        hi = np.minimum(np.ceil(pos).astype(np.int64), max(len(v) - 1, 0))
        value = v[lo] + (v[hi] - v[lo]) * (pos - np.floor(pos)) if len(v) else np.zeros(n)
        out.append([float(x) if c else None for x, c in zip(value, counts, strict=True)])
    return [Quantiles(m, p) for m, p in zip(out[0], out[1], strict=True)]


def quantiles(values: FloatArray) -> Quantiles:
    """Median and p90 of one sample, by the same method."""
    return grouped_quantiles(np.zeros(len(values), dtype=np.int64), values, 1)[0]
