"""The procedure diagram's layout: every step in order, a consultation's branches side by side
between its fork and its join, the heat classes, and text that cannot break the SVG."""

from __future__ import annotations

from functools import partial
from xml.etree import ElementTree

from motcua.console._designer import heat_level
from motcua.console._i18n import translate
from motcua.console._procedure_map import procedure_svg
from motcua.definitions import Catalog

SVG = "{http://www.w3.org/2000/svg}"
_ = partial(translate, "en")


def _nodes(svg: str) -> list[ElementTree.Element]:
    return ElementTree.fromstring(svg).findall(f"{SVG}g")


def test_a_consultation_forks_into_parallel_branches_and_joins(catalog: Catalog) -> None:
    judicial = catalog.latest("2.000488")
    svg = procedure_svg(judicial, {"checks": 3, "review": 1}, _, description="alt <text> & more")
    root = ElementTree.fromstring(svg)
    assert root.get("role") == "img"
    assert root.find(f"{SVG}desc").text == "alt <text> & more"  # type: ignore[union-attr]
    nodes = _nodes(svg)
    tops = {}
    for node in nodes:
        rect = node.find(f"{SVG}rect")
        assert rect is not None
        tops.setdefault(node.get("data-step"), []).append(
            (float(rect.get("y", 0)), float(rect.get("x", 0)), node.get("class", ""))
        )
    # Every step of the definition is drawn, top to bottom in the definition's order.
    order = [s.id for s in judicial.steps]
    firsts = [min(tops[step])[0] for step in order]
    assert firsts == sorted(firsts)
    # The consultation: a fork, then its two branches on one row side by side, all in its colour.
    fork, *branches = sorted(tops["checks"])
    assert "fork" in fork[2] and len(branches) == 2
    assert branches[0][0] == branches[1][0] and branches[0][1] < branches[1][1]
    assert all("heat-3" in cls for _, _, cls in tops["checks"])
    texts = " ".join("".join(n.itertext()) for n in nodes)
    assert "court_records" in texts and "system@provincial-court" in texts
    assert "All answered" in texts
    # An automatic step has no figures: the neutral colour.
    assert "heat-0" in tops["result"][0][2] and "heat-1" in tops["review"][0][2]


def test_long_lines_are_wrapped_inside_their_box(catalog: Catalog) -> None:
    residence = catalog.latest("1.004222")
    svg = procedure_svg(residence, {}, _, description="")
    verify = next(n for n in _nodes(svg) if n.get("data-step") == "verify")
    lines = [t.text or "" for t in verify.findall(f"{SVG}text")]
    assert len(lines) >= 3 and all(len(line) <= 36 for line in lines)
    assert " ".join(lines[1:]) == "population: identity, alive, residence, relationship"


def test_the_heat_levels_follow_the_legend() -> None:
    assert [heat_level(s) for s in (0.0, 0.09, 0.10, 0.3, 0.5, 0.9)] == [1, 1, 2, 3, 4, 4]
