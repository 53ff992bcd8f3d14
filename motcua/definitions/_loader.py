"""Load procedure definitions, bundles and the registry from YAML, keeping line numbers.

Designers fix problems in the YAML, not in pydantic's ``loc`` tuples, so every problem is a
:class:`Problem` naming ``file:line: path``: pydantic locations are mapped back onto the lines
:mod:`motcua.definitions._yaml` read.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from motcua.definitions._migrations import upgrade
from motcua.definitions._models import Bundle, Procedure
from motcua.definitions._registry import Registry
from motcua.definitions._yaml import (
    MAX_YAML_NODES,
    DefinitionError,
    Loc,
    Problem,
    Source,
    format_path,
    read_yaml,
)

__all__ = [
    "MAX_YAML_NODES",
    "Definition",
    "DefinitionError",
    "Problem",
    "Source",
    "default_registry_path",
    "definition_files",
    "format_path",
    "load_definition",
    "load_registry",
    "load_with_source",
    "load_yaml_model",
]

REGISTRY_FILE = "registry.yaml"
Definition = Procedure | Bundle
_M = TypeVar("_M", bound=BaseModel)


def _error_loc(data: Any, loc: Loc) -> Loc:
    """Keep the parts of a pydantic ``loc`` that exist in the document.

    pydantic inserts union member tags (``review`` for a step of kind review,
    ``function-after[...]`` for a union member) that are not YAML keys; they are dropped. A
    missing key is kept when it is the last part ("field required").
    """
    kept: list[str | int] = []
    node = data
    for index, part in enumerate(loc):
        last = index == len(loc) - 1
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if in_list or (isinstance(node, dict) and part in node):
            kept.append(part)
            node = node[part]
        elif isinstance(node, dict) and last and isinstance(part, str):
            kept.append(part)
        elif not isinstance(node, dict | list):
            break  # below a scalar only union tags remain
    return tuple(kept)


def _message(error: Mapping[str, Any]) -> str:
    message = str(error["msg"])
    return message.removeprefix("Value error, ").removeprefix("Assertion failed, ")


def _quote_hint(item: Mapping[str, Any], loc: Loc, source: Source) -> str:
    """For a number where text is expected (``code: 1.004873``), how to write it as text.

    YAML reads an unquoted ``1.004873`` as a number (and ``1.004870`` as ``1.00487``), so the
    hint quotes the value as the designer wrote it on that line.
    """
    value = item.get("input")
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if item["type"] != "string_type" or not number:
        return ""
    if not loc or not isinstance(loc[-1], str):  # a list item: no key to show
        return f"; YAML reads {value} as a number: put it in quotes"
    written = str(value)
    try:
        line = Path(source.file).read_text(encoding="utf-8").splitlines()[source.line(loc) - 1]
        written = line.split(f"{loc[-1]}:", 1)[1].split("#")[0].strip().rstrip(",}") or written
    except (OSError, IndexError):
        pass
    return f'; YAML reads {written} as a number: put it in quotes, {loc[-1]}: "{written}"'


def _validation_problems(error: ValidationError, data: Any, source: Source) -> list[Problem]:
    found: dict[Loc, list[tuple[str, str]]] = {}
    for item in error.errors():
        loc = _error_loc(data, tuple(item["loc"]))
        message = _message(item) + _quote_hint(item, loc, source)
        found.setdefault(loc, []).append((item["type"], message))
    problems = []
    for loc, errors in found.items():
        # A union such as ``required: bool | Condition`` fails once per member; when one of our
        # own validators explains the problem, the generic type mismatches are only noise.
        own = [e for e in errors if e[0] in ("value_error", "assertion_error")]
        for _, message in dict.fromkeys(own or errors):
            problems.append(source.problem(loc, message))
    return problems


def _validate(model: type[_M], data: dict[str, Any], source: Source) -> _M:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise DefinitionError(_validation_problems(error, data, source)) from error


def _load(path: Path) -> tuple[Definition, Source]:
    data, source = read_yaml(path)
    try:
        data = upgrade(data)
    except ValueError as error:
        raise DefinitionError([source.problem(("schema_version",), str(error))]) from error
    model: type[Definition] = Bundle if data.get("kind") == "bundle" else Procedure
    return _validate(model, data, source), source


def load_with_source(path: Path) -> tuple[Definition, Source]:
    """Load a definition as :func:`load_definition` does, with the line of each of its nodes."""
    return _load(path)


def load_definition(path: Path) -> Procedure | Bundle:
    """Load, upgrade and validate one procedure or bundle definition.

    A document with top-level ``kind: bundle`` is a :class:`Bundle`, any other a
    :class:`Procedure`.

    Args:
        path: The YAML file.

    Returns:
        The validated, frozen definition.

    Raises:
        DefinitionError: The file is unreadable, not YAML, or not a valid definition.
    """
    return _load(path)[0]


def load_yaml_model(path: Path, model: type[_M]) -> _M:
    """Load any YAML settings file into ``model``, with problems located as ``file:line: path``.

    Raises:
        DefinitionError: The file is unreadable, not YAML, or does not fit ``model``.
    """
    data, source = read_yaml(path)
    return _validate(model, data, source)


def load_registry(path: Path) -> Registry:
    """Load and validate the registry of agencies, adapters and data sources.

    Raises:
        DefinitionError: The file is unreadable, not YAML, or not a valid registry.
    """
    data, source = read_yaml(path)
    return _validate(Registry, data, source)


def default_registry_path(directory: Path | None = None) -> Path | None:
    """Find the registry: in ``directory``, else ``procedure_defs/`` here or in the project."""
    candidates = [] if directory is None else [directory / REGISTRY_FILE]
    candidates += [
        Path(os.environ.get("MOTCUA_PROCEDURES_DIR", "procedure_defs")) / REGISTRY_FILE,
        Path(__file__).resolve().parents[2] / "procedure_defs" / REGISTRY_FILE,
    ]
    return next((c for c in candidates if c.is_file()), None)


def definition_files(paths: Iterable[Path]) -> list[Path]:
    """The definition files named by ``paths``: files as given, directories' ``*.yaml``.

    The registry is not a definition and is left out.
    """
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.glob("*.yaml") if p.name != REGISTRY_FILE)
        elif path.name != REGISTRY_FILE:
            files.append(path)
    return files
