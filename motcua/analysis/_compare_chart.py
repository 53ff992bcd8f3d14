"""The comparison as an SVG chart (pygal): medians of A and B side by side, in working hours.

One pair of bars for the lead time and one for each step's waiting and working; a step only
one version has shows one bar. The x labels name what changed ("review wait ↓" when B's
median is lower with a significant difference), so the chart reads without the table.
"""

from __future__ import annotations

import pygal
from pygal.style import CleanStyle

from motcua.analysis._compare import Comparison, Effect

_ARROW = {"lower": " ↓", "higher": " ↑"}


def _label(name: str, effect: Effect) -> str:
    return name + _ARROW.get(effect.verdict, "")


def compare_svg(comparison: Comparison) -> str:
    """The chart of ``comparison`` as an SVG document."""
    c = comparison
    rows: list[tuple[str, Effect]] = [("lead time", c.figure("lead_hours"))]
    for step in c.steps:
        rows += [(f"{step.step} wait", step.waiting), (f"{step.step} work", step.working)]
    chart = pygal.Bar(
        style=CleanStyle,
        width=900,
        height=420,
        x_label_rotation=30,
        legend_at_bottom=True,
        js=[],  # no tooltip script from pygal's CDN: the file must open offline
        title=f"{c.procedure}: version {c.version_a} vs {c.version_b} (median working hours)",
    )
    chart.x_labels = [_label(name, effect) for name, effect in rows]
    chart.add(f"version {c.version_a} ({c.dossiers_a} dossiers)", [e.a.value for _, e in rows])
    chart.add(f"version {c.version_b} ({c.dossiers_b} dossiers)", [e.b.value for _, e in rows])
    svg: bytes = chart.render()
    return svg.decode("utf-8")
