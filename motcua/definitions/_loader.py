"""Load procedure definitions, bundles and the registry from YAML, keeping line numbers.

Designers fix problems in the YAML, not in pydantic's ``loc`` tuples, so every problem is a
:class:`Problem` naming ``file:line: path``: pydantic locations are mapped back onto the lines
:mod:`motcua.definitions._yaml` read.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
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
    "Catalog",
    "DefinitionError",
    "Problem",
    "Source",
    "default_registry_path",
    "definition_files",
    "format_path",
    "load_catalog",
    "load_definition",
    "load_registry",
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


def _validation_problems(error: ValidationError, data: Any, source: Source) -> list[Problem]:
    found: dict[Loc, list[tuple[str, str]]] = {}
    for item in error.errors():
        loc = _error_loc(data, tuple(item["loc"]))
        found.setdefault(loc, []).append((item["type"], _message(item)))
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


class Catalog:
    """Loaded definitions: procedures by code and version, bundles by code, and the registry.

    It also remembers each definition's :class:`Source`, so the linter can report lines.
    """

    def __init__(self, registry: Registry | None = None, registry_file: str | None = None) -> None:
        self.registry = registry
        self.registry_file = registry_file
        self.problems: list[Problem] = []
        self._procedures: dict[str, dict[int, Procedure]] = {}
        self._bundles: dict[str, dict[int, Bundle]] = {}
        self._sources: dict[tuple[str, str, int], Source] = {}

    @classmethod
    def with_registry(cls, registry_path: Path | None) -> Catalog:
        """An empty catalog using the registry at ``registry_path``.

        A missing or invalid registry is recorded in ``problems`` rather than raised, so the
        definitions can still be checked against the schema.
        """
        if registry_path is None:
            catalog = cls()
            catalog.problems.append(
                Problem(REGISTRY_FILE, 1, "(document)", "no registry.yaml found")
            )
            return catalog
        try:
            return cls(load_registry(registry_path), str(registry_path))
        except DefinitionError as error:
            catalog = cls(registry_file=str(registry_path))
            catalog.problems += error.problems
            return catalog

    def load(self, files: Iterable[Path]) -> None:
        """Load each file into the catalog, recording problems instead of stopping at one."""
        for file in files:
            try:
                self.add(*_load(file))
            except DefinitionError as error:
                self.problems += error.problems

    @staticmethod
    def _key(definition: Definition) -> tuple[str, str, int]:
        kind = "bundle" if isinstance(definition, Bundle) else "procedure"
        return (kind, definition.code, definition.version)

    def add(self, definition: Definition, source: Source) -> None:
        """Add a definition; a second one with the same code and version is a problem."""
        key = self._key(definition)
        if key in self._sources:
            first = self._sources[key]
            self.problems.append(
                source.problem(
                    ("code",),
                    f"{key[0]} {definition.code} version {definition.version} is also defined "
                    f"in {first.file}:{first.line(('code',))}",
                )
            )
            return
        self._sources[key] = source
        if isinstance(definition, Bundle):
            self._bundles.setdefault(definition.code, {})[definition.version] = definition
        else:
            self._procedures.setdefault(definition.code, {})[definition.version] = definition

    def __contains__(self, code: object) -> bool:
        return code in self._procedures or code in self._bundles

    def __len__(self) -> int:
        return len(self._sources)

    def codes(self) -> list[str]:
        """Every procedure and bundle code, sorted."""
        return sorted({*self._procedures, *self._bundles})

    def latest(self, code: str) -> Procedure:
        """The highest version of procedure ``code``.

        Raises:
            KeyError: No procedure has this code.
        """
        versions = self._procedures[code]
        return versions[max(versions)]

    def get(self, code: str, version: int) -> Procedure:
        """Procedure ``code`` at ``version``.

        Raises:
            KeyError: No such procedure or version.
        """
        return self._procedures[code][version]

    def bundle(self, code: str, version: int | None = None) -> Bundle:
        """Bundle ``code`` at ``version`` (default: the highest).

        Raises:
            KeyError: No such bundle or version.
        """
        versions = self._bundles[code]
        return versions[max(versions) if version is None else version]

    def agencies(self) -> list[str]:
        """The registry's agency ids (none without a registry: a strict catalog has one)."""
        return sorted(self.registry.agencies) if self.registry is not None else []

    def procedures(self) -> Iterator[Procedure]:
        """Every procedure at every version."""
        for versions in self._procedures.values():
            yield from versions.values()

    def bundles(self) -> Iterator[Bundle]:
        """Every bundle at every version."""
        for versions in self._bundles.values():
            yield from versions.values()

    def source(self, definition: Definition) -> Source:
        """Where ``definition`` was loaded from (an empty source when added without one)."""
        return self._sources.get(self._key(definition), Source("<unknown>"))


def load_catalog(directory: Path, *, strict: bool = True) -> Catalog:
    """Load every ``*.yaml`` definition in ``directory`` and its ``registry.yaml``.

    All files are loaded even when some fail, so every problem is reported at once.

    Args:
        directory: The definitions directory, e.g. ``procedure_defs``.
        strict: Raise when any file has problems; otherwise return the catalog of the files that
            loaded, with the problems in ``catalog.problems``.

    Returns:
        The catalog.

    Raises:
        DefinitionError: ``strict`` and some file (or the registry) has problems.
    """
    catalog = Catalog.with_registry(default_registry_path(directory))
    catalog.load(definition_files([directory]))
    if strict and catalog.problems:
        raise DefinitionError(sorted(catalog.problems))
    return catalog
