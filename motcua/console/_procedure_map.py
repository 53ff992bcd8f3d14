"""A procedure drawn as an SVG diagram, laid out in layers from its definition, for the designer's
procedure page: one box per step from top to bottom, a consultation's branches side by side
between a fork and a join, each officer step coloured by its share of the lead time.

The SVG is written into the page (no script, no inline style: the page's stylesheet colours the
``heat-N`` classes). It is an image for assistive technology, with a text alternative listing
the steps; the table beside it holds the figures.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from markupsafe import Markup

from motcua.definitions import (
    ConsultStep,
    HumanStep,
    Procedure,
    ResultStep,
    Step,
    VerifyStep,
    WorkSpan,
)

Translate = Callable[..., str]

_W, _GAP, _MARGIN, _LINE, _PAD, _ROW_GAP = 264, 24, 16, 16, 12, 34
_CHARS = 36  # what fits in a box's width at the diagram's 13px


@dataclass(frozen=True)
class _Box:
    x: float
    y: float
    height: float
    step: str
    lines: tuple[str, ...]
    heat: int
    shape: str  # "step", "terminal" or "fork"


def span_text(span: WorkSpan, _: Translate) -> str:
    """An SLA or deadline as people read it: "8 working hours", "same working day"."""
    if span.same_day:
        return _("designer.span.same_day")
    amount, unit = (
        (span.working_hours, "hour")
        if span.working_hours is not None
        else (span.working_days, "day")
    )
    return _(f"designer.span.{unit}{'' if amount == 1 else 's'}", n=f"{amount:g}")


def step_lines(step: Step, procedure: Procedure, _: Translate) -> list[str]:
    """What a step's box says: id and kind, who holds it, its SLA or what it checks."""
    lines = [f"{step.id} · {_(f'designer.kind.{step.kind}')}"]
    if isinstance(step, HumanStep):
        lines.append(f"{step.role}@{step.agency or procedure.agency}")
        if step.sla is not None:
            lines.append(_("designer.sla", span=span_text(step.sla, _)))
    elif isinstance(step, VerifyStep):
        lines.append(f"{step.adapter}: {', '.join(step.checks)}")
    elif isinstance(step, ResultStep):
        lines.append(", ".join(step.delivery))
    if step.when:
        lines.append(_("designer.when", condition=step.when))
    return lines


def _wrapped(lines: list[str]) -> list[str]:
    """Lines cut to fit a box (at spaces; an unbroken word is cut where it must be)."""
    return [part for line in lines for part in textwrap.wrap(line, _CHARS) or [""]]


def _height(lines: int) -> float:
    return 2 * _PAD + lines * _LINE


def _layout(
    procedure: Procedure, heat: Mapping[str, int], _: Translate
) -> tuple[list[_Box], list[tuple[_Box, _Box]], float, float]:
    widest = max([1, *(len(s.branches) for s in procedure.steps if isinstance(s, ConsultStep))])
    width = 2 * _MARGIN + widest * _W + (widest - 1) * _GAP
    centre = width / 2
    boxes: list[_Box] = []
    edges: list[tuple[_Box, _Box]] = []
    y = float(_MARGIN)
    previous: list[_Box] = []

    def place(row: list[_Box]) -> None:
        nonlocal y, previous
        boxes.extend(row)
        edges.extend((a, b) for a in previous for b in row)
        previous = row
        y += max(b.height for b in row) + _ROW_GAP

    def single(step: str, lines: list[str], shape: str, level: int = 0) -> _Box:
        lines = _wrapped(lines)
        return _Box(centre - _W / 2, y, _height(len(lines)), step, tuple(lines), level, shape)

    place([single("", [_("designer.map.submitted")], "terminal")])
    for step in procedure.steps:
        level = heat.get(step.id, 0)
        if not isinstance(step, ConsultStep):
            place([single(step.id, step_lines(step, procedure, _), "step", level)])
            continue
        place([single(step.id, [f"{step.id} · {_('designer.kind.consult')}"], "fork", level)])
        n = len(step.branches)
        left = centre - (n * _W + (n - 1) * _GAP) / 2
        row = []
        for i, branch in enumerate(step.branches):
            lines = [branch.id, branch.holder]
            if branch.sla is not None:
                lines.append(_("designer.sla", span=span_text(branch.sla, _)))
            lines = _wrapped(lines)
            x = left + i * (_W + _GAP)
            row.append(_Box(x, y, _height(len(lines)), step.id, tuple(lines), level, "step"))
        place(row)
        place([single(step.id, [_("designer.map.all_answered")], "terminal")])
    place([single("", [_("designer.map.result")], "terminal")])
    return boxes, edges, width, y - _ROW_GAP + _MARGIN


def _box(box: _Box) -> str:
    classes = f"node {box.shape} heat-{box.heat}"
    attrs = f' data-step="{escape(box.step)}"' if box.step and box.shape != "terminal" else ""
    out = [f"<g class={quoteattr(classes)}{attrs}>"]
    rx = box.height / 2 if box.shape == "terminal" else (14 if box.shape == "fork" else 6)
    out.append(
        f'<rect x="{box.x:.0f}" y="{box.y:.0f}" width="{_W}" height="{box.height:.0f}" '
        f'rx="{rx:.0f}"/>'
    )
    for i, line in enumerate(box.lines):
        weight = ' class="head"' if i == 0 and box.shape != "terminal" else ""
        out.append(
            f'<text x="{box.x + _W / 2:.0f}" y="{box.y + _PAD + (i + 0.8) * _LINE:.0f}"'
            f"{weight}>{escape(line)}</text>"
        )
    out.append("</g>")
    return "".join(out)


def _edge(a: _Box, b: _Box) -> str:
    x1, y1 = a.x + _W / 2, a.y + a.height
    x2, y2 = b.x + _W / 2, b.y
    return (
        f'<line class="edge" x1="{x1:.0f}" y1="{y1:.0f}" x2="{x2:.0f}" y2="{y2 - 2:.0f}" '
        'marker-end="url(#arrow)"/>'
    )


def procedure_svg(
    procedure: Procedure, heat: Mapping[str, int], _: Translate, *, description: str
) -> Markup:
    """The diagram of ``procedure``, each step's box in class ``heat-<heat[step id]>`` (0: no
    figures); ``description`` is its text alternative."""
    boxes, edges, width, height = _layout(procedure, heat, _)
    title = _("designer.map.title", code=procedure.code, version=procedure.version)
    parts = [
        f'<svg class="procedure-map" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" '
        'aria-labelledby="map-title map-desc">',
        f'<title id="map-title">{escape(title)}</title>',
        f'<desc id="map-desc">{escape(description)}</desc>',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z"/></marker></defs>',
        *(_edge(a, b) for a, b in edges),
        *(_box(b) for b in boxes),
        "</svg>",
    ]
    return Markup("".join(parts))  # every text in it is escaped above
