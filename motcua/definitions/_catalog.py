"""The catalog: every loaded definition by code and version, its source lines, and which
version of a procedure is in force on a given day (``effective_from``)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import TypeVar

from motcua.definitions._loader import (
    REGISTRY_FILE,
    Definition,
    DefinitionError,
    Problem,
    Source,
    default_registry_path,
    definition_files,
    load_registry,
    load_with_source,
)
from motcua.definitions._models import Bundle, Procedure
from motcua.definitions._registry import Registry

__all__ = ["Catalog", "in_force", "load_catalog"]

_D = TypeVar("_D", Procedure, Bundle)


def in_force(versions: Iterable[_D], on: date) -> _D:
    """The version of one procedure (or bundle) in force on ``on``.

    A version is in force from its ``effective_from`` until the next version's; the first
    version may leave ``effective_from`` out (in force from the start). A later version without
    one is a draft and never in force, so a proposal can sit beside the live version safely.

    Raises:
        KeyError: No version is in force yet on ``on`` (or there is none).
    """
    ordered = sorted(versions, key=lambda d: d.version)
    live = [
        d
        for i, d in enumerate(ordered)
        if (d.effective_from is None and i == 0)
        or (d.effective_from is not None and d.effective_from <= on)
    ]
    if not live:
        raise KeyError(on)
    return live[-1]


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
                self.add(*load_with_source(file))
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
                    f"in {first.file}:{first.line(('code',))}: a new version needs a higher "
                    f"number (next free: {self._next_version(key)})",
                )
            )
            return
        self._sources[key] = source
        if isinstance(definition, Bundle):
            self._bundles.setdefault(definition.code, {})[definition.version] = definition
        else:
            self._procedures.setdefault(definition.code, {})[definition.version] = definition

    def _next_version(self, key: tuple[str, str, int]) -> int:
        return 1 + max(v for kind, code, v in self._sources if (kind, code) == key[:2])

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

    def versions(self, code: str) -> list[Procedure]:
        """Every version of procedure ``code``, lowest first (none for an unknown code)."""
        versions = self._procedures.get(code, {})
        return [versions[v] for v in sorted(versions)]

    def in_force(self, code: str, on: date) -> Procedure:
        """The version of procedure ``code`` in force on ``on``: the one a new dossier takes.

        Raises:
            KeyError: No procedure has this code, or none of its versions is in force yet.
        """
        return in_force(self._procedures[code].values(), on)

    def current(self, code: str, on: date) -> Procedure:
        """The version in force on ``on`` or, before any takes effect, the first to come: what
        ``show``, the analysis and a proposal read when no version is named.

        Raises:
            KeyError: No procedure has this code.
        """
        try:
            return self.in_force(code, on)
        except KeyError:
            return self._procedures[code][min(self._procedures[code])]

    def bundle_in_force(self, code: str, on: date) -> Bundle:
        """The version of bundle ``code`` in force on ``on``.

        Raises:
            KeyError: No bundle has this code, or none of its versions is in force yet.
        """
        return in_force(self._bundles[code].values(), on)

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
