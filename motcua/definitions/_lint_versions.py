"""The version rule: each version of a code against its predecessor.

Versions of one procedure (or bundle) live side by side, one file each; version N is in force
from its ``effective_from`` until version N + 1's. So every version after the first needs the
day it takes effect, later than its predecessor's: two versions on one day, or dates out of
order, would leave it ambiguous which one a new dossier takes.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import pairwise

from motcua.definitions._catalog import Catalog
from motcua.definitions._models import Bundle, Procedure
from motcua.definitions._yaml import Problem

__all__ = ["version_problems"]


def version_problems(catalog: Catalog) -> Iterator[Problem]:
    """Problems of every version after the first, against the version before it."""
    groups: dict[tuple[str, str], list[Procedure | Bundle]] = {}
    definitions: list[Procedure | Bundle] = [*catalog.procedures(), *catalog.bundles()]
    for definition in definitions:
        groups.setdefault((type(definition).__name__, definition.code), []).append(definition)
    for group in groups.values():
        yield from _successions(catalog, sorted(group, key=lambda d: d.version))


def _successions(catalog: Catalog, versions: Sequence[Procedure | Bundle]) -> Iterator[Problem]:
    for previous, current in pairwise(versions):
        source = catalog.source(current)
        before = catalog.source(previous)
        where = f"version {previous.version} ({before.file}:{before.line(('version',))})"
        then, now = previous.effective_from, current.effective_from
        if now is None:
            after = f", after {then.isoformat()}" if then else ""
            yield source.problem(
                ("version",),
                f"version {current.version} follows {where} but has no effective_from, so no "
                f"dossier will take it (a draft): add the day it takes effect{after}, "
                f"e.g. effective_from: 2027-01-01",
            )
        elif then is not None and now == then:
            yield source.problem(
                ("effective_from",),
                f"version {current.version} takes effect on {now.isoformat()}, the same day as "
                f"{where}: one day cannot have two versions in force; give it a later day",
            )
        elif then is not None and now < then:
            yield source.problem(
                ("effective_from",),
                f"version {current.version} takes effect on {now.isoformat()}, before {where} "
                f"({then.isoformat()}): a higher version must take effect later",
            )
