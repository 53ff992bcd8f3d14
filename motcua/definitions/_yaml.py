"""Reading YAML with line numbers: every node's line, problems as ``file:line: path``, and a
guard against aliases that would expand a small file into billions of nodes.

ruamel.yaml's round-trip loader keeps the line of every mapping key and sequence item; the
:class:`Source` keeps them by location, so validation errors can point at the YAML.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)

from motcua.definitions._migrations import RENAMED_KEYS

__all__ = [
    "MAX_YAML_NODES",
    "DefinitionError",
    "Loc",
    "Problem",
    "Source",
    "format_path",
    "read_yaml",
]

MAX_YAML_NODES = 10_000
"""Nodes a YAML file may stand for once its aliases are expanded (the largest definition has
fewer than 200)."""

Loc = tuple[str | int, ...]


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in a definition, located in its YAML file."""

    file: str
    line: int
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.path}: {self.message}"


class DefinitionError(Exception):
    """A definition (or several) could not be loaded; ``problems`` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def format_path(loc: Loc) -> str:
    """Render a location as ``steps[3].sla.working_days`` (``(document)`` for the root)."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "(document)"


@dataclass(frozen=True)
class Source:
    """Where a loaded document came from: its file and the line of every node."""

    file: str
    lines: Mapping[Loc, int] = field(default_factory=dict)

    def line(self, loc: Loc) -> int:
        """The 1-based line of ``loc``, or of its deepest ancestor present in the YAML."""
        if loc and loc[0] in RENAMED_KEYS and loc[0] not in self.lines:
            # The key was renamed by a migration: point at the name the designer wrote.
            loc = (RENAMED_KEYS[str(loc[0])], *loc[1:])
        for end in range(len(loc), 0, -1):
            if loc[:end] in self.lines:
                return self.lines[loc[:end]]
        return self.lines.get((), 1)

    def problem(self, loc: Loc, message: str) -> Problem:
        """A problem at ``loc`` in this file."""
        return Problem(self.file, self.line(loc), format_path(loc), message)


def _plain(node: Any, loc: Loc, lines: dict[Loc, int]) -> Any:
    """Convert ruamel round-trip nodes to plain Python, recording each node's line."""
    if isinstance(node, Mapping):
        result: dict[Any, Any] = {}
        for key, value in node.items():
            child = (*loc, key)
            if hasattr(node, "lc"):
                lines[child] = node.lc.key(key)[0] + 1
            result[key] = _plain(value, child, lines)
        return result
    if isinstance(node, list):
        items = []
        for index, value in enumerate(node):
            child = (*loc, index)
            if hasattr(node, "lc"):
                lines[child] = node.lc.item(index)[0] + 1
            items.append(_plain(value, child, lines))
        return items
    # ruamel keeps formatting in subclasses (ScalarFloat, ScalarInt, …); pydantic and the
    # workflow payloads want the plain built-in types.
    for kind in (bool, int, float, str):
        if isinstance(node, kind):
            return kind(node)
    return node


def _check_aliases(yaml: YAML, text: str, file: str) -> None:
    """Refuse aliases that would expand past ``MAX_YAML_NODES`` nodes, or that contain themselves.

    An alias is a reference, so a few lines of anchors and aliases (13 levels of 9 aliases each)
    stand for 9**13 nodes: turning them into plain Python would never finish, and an anchor
    that refers to itself would never end. Parsing events builds no nodes, so this pass counts
    the nodes the document stands for (an alias counts as its anchor's size) without expanding.
    """
    sizes: dict[str, int] = {}  # anchor -> nodes it stands for
    anchors: list[str | None] = []  # the collections being read, outermost first
    counts: list[int] = []  # and the nodes each holds so far
    expanded = 0
    for event in yaml.parse(text):
        if isinstance(event, MappingStartEvent | SequenceStartEvent):
            anchors.append(event.anchor)
            counts.append(1)
            expanded += 1
            continue
        if isinstance(event, MappingEndEvent | SequenceEndEvent):
            anchor, size = anchors.pop(), counts.pop()
        elif isinstance(event, ScalarEvent):
            anchor, size = event.anchor, 1
            expanded += 1
        elif isinstance(event, AliasEvent):
            if event.anchor in anchors:
                raise _yaml_problem(
                    file, event, f"the alias *{event.anchor} refers to a node that contains it"
                )
            anchor, size = None, sizes.get(event.anchor, 1)  # undefined: the composer says so
            expanded += size
        else:
            continue  # stream and document boundaries
        if anchor is not None:
            sizes[anchor] = size
        if counts:
            counts[-1] += size
        if expanded > MAX_YAML_NODES and isinstance(event, AliasEvent):
            message = f"the alias *{event.anchor} would expand the file past {MAX_YAML_NODES} nodes"
            raise _yaml_problem(file, event, f"{message}: write the values out instead")
        if expanded > MAX_YAML_NODES:
            raise _yaml_problem(file, event, f"the file holds more than {MAX_YAML_NODES} nodes")


def _yaml_problem(file: str, event: Event, message: str) -> DefinitionError:
    return DefinitionError([Problem(file, event.start_mark.line + 1, "(document)", message)])


def read_yaml(path: Path) -> tuple[Any, Source]:
    """Parse ``path`` into plain Python and its :class:`Source` line map."""
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise DefinitionError([Problem(file, 1, "(document)", f"cannot read: {error}")]) from error
    try:
        _check_aliases(YAML(typ="rt"), text, file)
        data = YAML(typ="rt").load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 1
        message = " ".join(str(part) for part in (error.context, error.problem) if part)
        raise DefinitionError(
            [Problem(file, line, "(document)", f"invalid YAML: {message}")]
        ) from error
    except YAMLError as error:
        raise DefinitionError([Problem(file, 1, "(document)", f"invalid YAML: {error}")]) from error
    lines: dict[Loc, int] = {}
    if hasattr(data, "lc"):
        lines[()] = data.lc.line + 1
    plain = _plain(data, (), lines)
    if not isinstance(plain, dict):
        raise DefinitionError([Problem(file, 1, "(document)", "expected a mapping at top level")])
    return plain, Source(file, lines)
