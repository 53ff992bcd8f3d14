"""Parse the announced-calendar YAML file (Tết schedules, bridge days off, make-up Saturdays).

The file is read as a YAML node tree rather than as Python objects so that every error can name
the line it is on; dates are parsed here, strictly, instead of by the YAML timestamp resolver.
Format::

    2026:
      days_off: [2026-01-02]        # announced weekdays off beyond the statutory holidays
      working_days: [2026-01-10]    # announced make-up working days (Saturday or Sunday)
      reference: "Official Dispatch ..."
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

_YEAR = re.compile(r"^\d{4}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_KEYS = frozenset({"days_off", "working_days", "reference"})


@dataclass(frozen=True)
class Overrides:
    """Announced days off and make-up working days from one override file."""

    days_off: frozenset[date]
    working_days: frozenset[date]


class _Error(Exception):
    """A problem at a node, turned into a ValueError naming file and line by the caller."""

    def __init__(self, node: Node, message: str) -> None:
        super().__init__(message)
        self.line = node.start_mark.line + 1


def read_overrides(path: Path) -> Overrides:
    """Read and validate an override file.

    Raises:
        ValueError: The file is malformed; the message names the file and line.
        OSError: The file cannot be read.
    """
    text = path.read_text(encoding="utf-8")
    try:
        root = YAML(typ="safe", pure=True).compose(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise ValueError(f"{path}:{line}: invalid YAML: {exc.problem or exc}") from exc
    except YAMLError as exc:
        raise ValueError(f"{path}:1: invalid YAML: {exc}") from exc
    try:
        return _parse(root)
    except _Error as exc:
        raise ValueError(f"{path}:{exc.line}: {exc}") from exc


def _parse(root: Node | None) -> Overrides:
    days_off: set[date] = set()
    working: set[date] = set()
    if root is None:  # an empty file (or only comments) announces nothing
        return Overrides(frozenset(), frozenset())
    if not isinstance(root, MappingNode):
        raise _Error(root, "expected a mapping of years to announcements")
    seen: set[int] = set()
    for key, value in root.value:
        year = _year(key)
        if year in seen:
            raise _Error(key, f"year {year} appears twice")
        seen.add(year)
        off, work = _year_entry(year, value)
        days_off |= off
        working |= work
    return Overrides(frozenset(days_off), frozenset(working))


def _year(node: Node) -> int:
    if not isinstance(node, ScalarNode) or not _YEAR.match(str(node.value)):
        raise _Error(node, f"expected a four-digit year as key, got {_show(node)}")
    return int(node.value)


def _year_entry(year: int, node: Node) -> tuple[set[date], set[date]]:
    if not isinstance(node, MappingNode):
        raise _Error(node, f"{year}: expected a mapping with days_off, working_days, reference")
    fields: dict[str, Node] = {}
    for key, value in node.value:
        name = str(key.value) if isinstance(key, ScalarNode) else ""
        if name not in _KEYS:
            raise _Error(key, f"{year}: unknown key {_show(key)}; expected one of {sorted(_KEYS)}")
        if name in fields:
            raise _Error(key, f"{year}: {name} appears twice")
        fields[name] = value
    reference = fields.get("reference")
    if reference is None:
        # LEGAL.md: every rule names its source so it can be checked when a decree changes.
        raise _Error(node, f"{year}: reference is required (the announcement's number)")
    if not isinstance(reference, ScalarNode) or not str(reference.value).strip():
        raise _Error(reference, f"{year}: reference must be non-empty text")
    days_off = _dates(year, fields.get("days_off"), "days_off")
    working = _dates(year, fields.get("working_days"), "working_days")
    return days_off, working


def _dates(year: int, node: Node | None, name: str) -> set[date]:
    if node is None:
        return set()
    if not isinstance(node, SequenceNode):
        raise _Error(node, f"{year}: {name} must be a list of dates")
    result: set[date] = set()
    for item in node.value:
        d = _date(item)
        if name == "days_off":
            # A day off on a weekend changes nothing, so it is almost surely a typo.
            if d.weekday() >= 5:
                raise _Error(item, f"{year}: day off {d} is a {d:%A}, not a weekday")
            if d.year != year:
                raise _Error(item, f"{year}: day off {d} is not in {year}")
        else:
            if d.weekday() < 5:
                raise _Error(item, f"{year}: make-up working day {d} is a {d:%A}, not a weekend")
            # Make-up days may fall in the neighbouring year (e.g. 27/12/2014 for 2/1/2015).
            if abs(d.year - year) > 1:
                raise _Error(item, f"{year}: make-up working day {d} is too far from {year}")
        result.add(d)
    return result


def _date(node: Node) -> date:
    text = str(node.value) if isinstance(node, ScalarNode) else ""
    if not _DATE.match(text):
        raise _Error(node, f"expected a date as YYYY-MM-DD, got {_show(node)}")
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise _Error(node, f"invalid date {text}: {exc}") from exc


def _show(node: Node) -> str:
    if isinstance(node, ScalarNode):
        return repr(node.value)
    return "a list" if isinstance(node, SequenceNode) else "a mapping"
