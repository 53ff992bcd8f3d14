"""Rules a valid schema cannot express: references, reachability, SLAs against the deadline.

Each rule reports ``file:line: path: message`` so a designer can jump straight to the YAML.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import accumulate
from pathlib import Path

from motcua.definitions._catalog import Catalog
from motcua.definitions._evaluate import evaluate, fields
from motcua.definitions._graph import hours_text
from motcua.definitions._lint_refs import references
from motcua.definitions._lint_versions import version_problems
from motcua.definitions._loader import (
    Loc,
    Problem,
    Source,
    default_registry_path,
    definition_files,
)
from motcua.definitions._models import (
    ApprovalStep,
    Bundle,
    ConsultStep,
    PaymentStep,
    Procedure,
    ReceiptStep,
    ResultStep,
    ReviewStep,
    VerifyStep,
)
from motcua.definitions._registry import Registry

__all__ = ["lint", "validate_paths"]

CONDITION_ROOTS = ("applicant", "form", "dossier")
_HUMAN = (ReceiptStep, ReviewStep, ApprovalStep)

Rule = Callable[[Procedure, Source, Registry | None], Iterator[Problem]]


def _ids(procedure: Procedure, source: Source, registry: Registry | None) -> Iterator[Problem]:
    """Step, document and consult branch ids must be unique."""
    seen: set[str] = set()
    for i, step in enumerate(procedure.steps):
        if step.id in seen:
            yield source.problem(("steps", i, "id"), f"duplicate step id {step.id!r}")
        seen.add(step.id)
        if isinstance(step, ConsultStep):
            branches: set[str] = set()
            for j, branch in enumerate(step.branches):
                if branch.id in branches:
                    loc: Loc = ("steps", i, "branches", j, "id")
                    yield source.problem(loc, f"duplicate branch id {branch.id!r}")
                branches.add(branch.id)
    documents: set[str] = set()
    for i, document in enumerate(procedure.documents):
        if document.id in documents:
            yield source.problem(("documents", i, "id"), f"duplicate document id {document.id!r}")
        documents.add(document.id)


def _shape(procedure: Procedure, source: Source, registry: Registry | None) -> Iterator[Problem]:
    """Receipt first among human steps; exactly one result step, last; no dead steps."""
    steps = procedure.steps
    human = [(i, s) for i, s in enumerate(steps) if isinstance(s, _HUMAN)]
    if not any(isinstance(s, ReceiptStep) for s in steps):
        yield source.problem(("steps",), "no receipt step")
    elif human and not isinstance(human[0][1], ReceiptStep):
        yield source.problem(("steps", human[0][0]), "receipt must be the first human step")
    results = [i for i, s in enumerate(steps) if isinstance(s, ResultStep)]
    if not results:
        yield source.problem(("steps",), "no result step")
    for i in results[1:]:
        yield source.problem(("steps", i), "more than one result step")
    for i, step in enumerate(steps):
        if results and i > results[0] and i not in results:
            yield source.problem(("steps", i), "unreachable step: comes after the result step")
        elif step.when is not None and not fields(step.when) and not evaluate(step.when, {}):
            yield source.problem(("steps", i, "when"), "unreachable step: 'when' is never true")


def _sla(procedure: Procedure, source: Source, registry: Registry | None) -> Iterator[Problem]:
    """The steps' SLAs must fit within the statutory deadline.

    The message gives the sum of every SLA and each step's share, so the designer sees how much
    to cut and where; it points at the step where the running total first goes over.
    """
    limit = procedure.deadline.hours
    shares = procedure.sla_hours()
    total = sum(shares.values())
    if total <= limit:
        return
    running = accumulate(shares.get(step.id, 0.0) for step in procedure.steps)
    i = next(i for i, hours in enumerate(running) if hours > limit)
    field = "branches" if isinstance(procedure.steps[i], ConsultStep) else "sla"
    each = ", ".join(f"{step_id} {hours_text(hours)}" for step_id, hours in shares.items() if hours)
    yield source.problem(
        ("steps", i, field),
        f"the SLAs add up to {hours_text(total)} ({each}), past the statutory deadline of "
        f"{hours_text(limit)}: shorten them by {hours_text(total - limit)}",
    )


def _fees(procedure: Procedure, source: Source, registry: Registry | None) -> Iterator[Problem]:
    """A fee needs a payment step and a payment step needs a fee."""
    payments = [i for i, s in enumerate(procedure.steps) if isinstance(s, PaymentStep)]
    free = procedure.fee is None or procedure.fee.is_free
    if free:
        for i in payments:
            yield source.problem(("steps", i), "payment step on a free procedure")
    elif not payments:
        yield source.problem(("fee",), "fee on a procedure with no payment step")


def _population(
    procedure: Procedure, source: Source, registry: Registry | None
) -> Iterator[Problem]:
    """Documents replaced by the population database need a step that consults it."""
    adapters = [s.adapter for s in procedure.steps if isinstance(s, VerifyStep)]
    # A verify step whose adapter is unknown is a typo the registry rule reports (with "did you
    # mean"); saying here that there is no verify step would send the designer the wrong way.
    typo = registry is not None and any(a not in registry.adapters for a in adapters)
    if "population" in adapters or typo:
        return
    for i, document in enumerate(procedure.documents):
        if document.replaced_by == "population":
            yield source.problem(
                ("documents", i, "replaced_by"),
                "document replaced by population but no verify step consults it: add "
                "{id: verify, kind: verify, adapter: population, checks: [identity]} "
                "before the review",
            )


def _four_eyes(
    procedure: Procedure, source: Source, registry: Registry | None
) -> Iterator[Problem]:
    """``four_eyes_with`` must name other human steps."""
    steps = {s.id: s for s in procedure.steps}
    for i, step in enumerate(procedure.steps):
        if not isinstance(step, _HUMAN):
            continue
        for j, other in enumerate(step.four_eyes_with):
            loc: Loc = ("steps", i, "four_eyes_with", j)
            if other == step.id:
                yield source.problem(loc, "four_eyes_with names the step itself")
            elif other not in steps:
                yield source.problem(loc, f"four_eyes_with names a missing step {other!r}")
            elif not isinstance(steps[other], _HUMAN):
                yield source.problem(loc, f"four_eyes_with names {other!r}, not a human step")


def _conditions(
    procedure: Procedure, source: Source, registry: Registry | None
) -> Iterator[Problem]:
    """Conditions may only read applicant, form and dossier fields."""
    found: list[tuple[Loc, str]] = []
    if procedure.fee is not None:
        if procedure.fee.exempt_when:
            found.append((("fee", "exempt_when"), procedure.fee.exempt_when))
        found += [
            (("fee", "reduced", i, "when"), r.when) for i, r in enumerate(procedure.fee.reduced)
        ]
    for i, document in enumerate(procedure.documents):
        if isinstance(document.required, str):
            found.append((("documents", i, "required"), document.required))
    found += [(("steps", i, "when"), s.when) for i, s in enumerate(procedure.steps) if s.when]
    roots = ", ".join(f"{root}." for root in CONDITION_ROOTS)
    for loc, condition in found:
        for name in sorted(fields(condition)):
            root, _, rest = name.partition(".")
            if root not in CONDITION_ROOTS or not rest:
                yield source.problem(loc, f"condition reads {name!r}: fields must be under {roots}")


_RULES: tuple[Rule, ...] = (_ids, _shape, _sla, _fees, _population, _four_eyes, _conditions)


def _lint_bundle(bundle: Bundle, catalog: Catalog) -> Iterator[Problem]:
    source = catalog.source(bundle)
    registry = catalog.registry
    if registry is not None and bundle.lead_agency not in registry.agencies:
        yield source.problem(("lead_agency",), f"unknown agency {bundle.lead_agency!r}")
    procedures = {p.code for p in catalog.procedures()}
    members: set[str] = set()
    for i, member in enumerate(bundle.members):
        if member.id in members:
            yield source.problem(("members", i, "id"), f"duplicate member id {member.id!r}")
        members.add(member.id)
        if member.procedure not in procedures:
            yield source.problem(
                ("members", i, "procedure"), f"unknown procedure code {member.procedure!r}"
            )
        for j, after in enumerate(member.after):
            if after not in {m.id for m in bundle.members}:
                loc: Loc = ("members", i, "after", j)
                yield source.problem(loc, f"'after' names a missing member {after!r}")
    yield from _cycles(bundle, source)


def _cycles(bundle: Bundle, source: Source) -> Iterator[Problem]:
    after = {m.id: m.after for m in bundle.members}
    index = {m.id: i for i, m in enumerate(bundle.members)}
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    reported: set[frozenset[str]] = set()

    def visit(member: str, path: list[str]) -> Iterator[Problem]:
        state[member] = 1
        for previous in after.get(member, []):
            if state.get(previous) == 1:
                cycle = [*path[path.index(previous) :], previous]
                if frozenset(cycle) not in reported:
                    reported.add(frozenset(cycle))
                    loc: Loc = ("members", index[member], "after")
                    yield source.problem(loc, "cycle in 'after': " + " → ".join(reversed(cycle)))
            elif previous in after and previous not in state:
                yield from visit(previous, [*path, previous])
        state[member] = 2

    for member in after:
        if member not in state:
            yield from visit(member, [member])


def lint(catalog: Catalog) -> list[Problem]:
    """Check every definition in ``catalog`` against the rules the schema cannot express.

    Args:
        catalog: Loaded definitions and their registry (registry rules are skipped without one).

    Returns:
        The problems found, sorted by file and line.
    """
    problems: list[Problem] = []
    for procedure in catalog.procedures():
        source = catalog.source(procedure)
        if catalog.registry is not None:
            problems += references(procedure, source, catalog.registry)
        for rule in _RULES:
            problems += rule(procedure, source, catalog.registry)
    for bundle in catalog.bundles():
        problems += _lint_bundle(bundle, catalog)
    problems += version_problems(catalog)
    return sorted(set(problems))


def validate_paths(paths: list[Path]) -> list[Problem]:
    """Load and lint the definitions at ``paths`` (files, or directories of ``*.yaml``).

    The registry is the ``registry.yaml`` next to the first path, else ``procedure_defs/``'s.
    Other definitions in the same directories are loaded as context (so a bundle file checked
    alone still knows its members), but only problems in the requested files are returned.

    Args:
        paths: Definition files and directories.

    Returns:
        Schema and lint problems, sorted by file and line; empty when all is valid.
    """
    requested = definition_files(paths)
    first = paths[0] if paths else Path(".")
    registry_path = default_registry_path(first if first.is_dir() else first.parent)
    catalog = Catalog.with_registry(registry_path)
    wanted = {str(f) for f in requested}
    resolved = {f.resolve() for f in requested}
    siblings = definition_files(dict.fromkeys(f.parent for f in requested))
    context = [f for f in siblings if f.resolve() not in resolved]
    catalog.load(requested)
    problems = list(catalog.problems)
    catalog.load(context)
    wanted.add(catalog.registry_file or "registry.yaml")
    problems += lint(catalog)
    return sorted({p for p in problems if p.file in wanted})
