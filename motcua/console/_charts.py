"""The bottleneck chart of the console, drawn by pygal: per step, median waiting (until claimed)
and median working time (claimed until decided), in working hours, stacked.

pygal's SVG carries its own ``<style>``, which the console's policy forbids inline: the chart is
shown as an image (a ``data:`` URI, allowed by the policy), with the figures' table beside it as
its text alternative. No tooltip script is added (``js=[]``): the image runs none anyway.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pygal
from pygal.style import Style

from motcua.analysis import StepStats

WAITING, WORKING = "#b85a0d", "#2b63a6"  # 4.5:1 on white: the legend's text takes these too
_STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#1b1f24",
    foreground_strong="#1b1f24",
    foreground_subtle="#545d68",
    colors=(WAITING, WORKING),
    font_family="system-ui, 'Noto Sans', sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=14,
    title_font_size=16,
)


def bottleneck_chart(
    steps: Sequence[StepStats], _: Callable[..., str], *, label: Callable[[StepStats], str]
) -> str:
    """The chart of ``steps`` (in their order) as a ``data:image/svg+xml`` URI."""
    chart = pygal.HorizontalStackedBar(
        style=_STYLE,
        js=[],
        width=760,
        height=120 + 34 * max(len(steps), 1),
        legend_at_bottom=True,
        x_title=_("designer.chart.axis"),
        print_values=False,
        show_minor_x_labels=False,
        truncate_label=-1,
    )
    rows = list(reversed(steps))  # pygal draws the first label at the bottom
    chart.x_labels = [label(s) for s in rows]
    chart.add(_("designer.chart.waiting"), [round(s.waiting_hours.median or 0.0, 2) for s in rows])
    chart.add(_("designer.chart.working"), [round(s.working_hours.median or 0.0, 2) for s in rows])
    uri: str = chart.render_data_uri()
    return uri
