"""The bottleneck report as an SVG chart: where each procedure's lead time goes, step by step.

One horizontal bar per step, split into median waiting (until an officer claims the task) and
median working time (claimed until decided), in working hours, with the SLA breach rate at the
end of the bar. Plain SVG written by hand: it opens in any browser, no plotting library needed.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from motcua.analysis._bottlenecks import BottleneckReport, StepStats

_ROW, _LABEL, _BAR, _TOP = 26, 190, 520, 64
_WAITING, _WORKING, _BREACH = "#e8833a", "#3a78c2", "#c0392b"


def bottleneck_svg(report: BottleneckReport, *, title: str = "Where the lead time goes") -> str:
    """The chart of ``report`` as an SVG document."""
    steps = sorted(report.steps, key=lambda s: (s.procedure, -s.share))
    longest = max((_hours(s) for s in steps), default=0.0) or 1.0
    height = _TOP + _ROW * (len(steps) + 2 * len({s.procedure for s in steps})) + 40
    width = _LABEL + _BAR + 170
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'font-family="sans-serif" font-size="13">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<text x="12" y="26" font-size="18" font-weight="bold">{escape(title)}</text>',
        _legend(),
    ]
    y, procedure = _TOP, None
    for step in steps:
        if step.procedure != procedure:
            procedure = step.procedure
            y += _ROW
            out.append(
                f'<text x="12" y="{y}" font-weight="bold">procedure {escape(procedure)}</text>'
            )
            y += 8
        out.extend(_bar(step, y, longest))
        y += _ROW
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _hours(step: StepStats) -> float:
    return (step.waiting_hours.median or 0.0) + (step.working_hours.median or 0.0)


def _legend() -> str:
    return (
        f'<rect x="12" y="38" width="12" height="12" fill="{_WAITING}"/>'
        '<text x="30" y="49">waiting (median, working hours)</text>'
        f'<rect x="250" y="38" width="12" height="12" fill="{_WORKING}"/>'
        '<text x="268" y="49">working (median)</text>'
        f'<text x="420" y="49" fill="{_BREACH}">% = SLA breach rate, share = of lead time</text>'
    )


def _bar(step: StepStats, y: int, longest: float) -> list[str]:
    waiting = (step.waiting_hours.median or 0.0) / longest * _BAR
    working = (step.working_hours.median or 0.0) / longest * _BAR
    note = f"{_hours(step):.1f} h · share {step.share:.0%}"
    if step.with_sla:
        note += f" · {step.breach_rate:.0%} late"
    return [
        f'<text x="{_LABEL - 8}" y="{y + 15}" text-anchor="end">{escape(step.step)} '
        f"({step.tasks})</text>",
        f'<rect x="{_LABEL}" y="{y + 2}" width="{waiting:.1f}" height="18" fill="{_WAITING}"/>',
        f'<rect x="{_LABEL + waiting:.1f}" y="{y + 2}" width="{working:.1f}" height="18" '
        f'fill="{_WORKING}"/>',
        f'<text x="{_LABEL + waiting + working + 6:.1f}" y="{y + 15}" '
        f'fill="{_BREACH if step.breach_rate >= 0.3 else "black"}">{escape(note)}</text>',
    ]
