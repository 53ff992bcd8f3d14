"""The registry rule: agencies, roles, adapters and data sources a definition names must exist.

A typo is the usual cause, so each message lists what is valid and, when one is close, asks
"did you mean …?" (difflib), so the designer can fix the YAML without opening the registry.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator

from motcua.definitions._models import (
    ApprovalStep,
    ConsultStep,
    Procedure,
    ReceiptStep,
    ReviewStep,
    VerifyStep,
)
from motcua.definitions._registry import Registry
from motcua.definitions._yaml import Loc, Problem, Source

__all__ = ["references", "suggest", "unknown"]

_HUMAN = (ReceiptStep, ReviewStep, ApprovalStep)


def suggest(word: str, valid: Iterable[str]) -> str | None:
    """The valid name closest to ``word``, when one is close enough to be a likely typo."""
    close = difflib.get_close_matches(word, list(valid), n=1, cutoff=0.6)
    return close[0] if close else None


def unknown(what: str, word: str, valid: Iterable[str], where: str = "") -> str:
    """``unknown role 'x' at agency 'y'; valid: a, b; did you mean 'a'?``"""
    names = list(valid)
    message = f"unknown {what} {word!r}{where}; valid: {', '.join(names) or '(none)'}"
    guess = suggest(word, names)
    return f"{message}; did you mean {guess!r}?" if guess else message


def references(procedure: Procedure, source: Source, registry: Registry) -> Iterator[Problem]:
    """Agencies, roles, adapters and data sources must be in the registry."""
    agencies = sorted(registry.agencies)

    def check_role(loc: Loc, agency_id: str, role: str) -> Iterator[Problem]:
        agency = registry.agencies.get(agency_id)
        if agency is None:
            yield source.problem((*loc[:-1], "agency"), unknown("agency", agency_id, agencies))
        elif role not in agency.roles:
            where = f" at agency {agency_id!r}"
            yield source.problem(loc, unknown("role", role, agency.roles, where))

    if procedure.agency not in registry.agencies:
        yield source.problem(("agency",), unknown("agency", procedure.agency, agencies))
    elif registry.agencies[procedure.agency].level != procedure.level:
        level = registry.agencies[procedure.agency].level
        yield source.problem(
            ("level",), f"procedure level {procedure.level!r} but agency is {level!r} level"
        )
    for i, step in enumerate(procedure.steps):
        if isinstance(step, _HUMAN):
            agency_id = step.agency or procedure.agency
            if step.agency is not None or agency_id in registry.agencies:
                yield from check_role(("steps", i, "role"), agency_id, step.role)
        elif isinstance(step, VerifyStep) and step.adapter not in registry.adapters:
            message = unknown("adapter", step.adapter, sorted(registry.adapters))
            yield source.problem(("steps", i, "adapter"), message)
        elif isinstance(step, ConsultStep):
            for j, branch in enumerate(step.branches):
                if branch.role is not None:
                    loc: Loc = ("steps", i, "branches", j, "role")
                    yield from check_role(loc, branch.agency, branch.role)
    for i, document in enumerate(procedure.documents):
        if document.replaced_by and document.replaced_by not in registry.data_sources:
            message = unknown("data source", document.replaced_by, sorted(registry.data_sources))
            yield source.problem(("documents", i, "replaced_by"), message)
