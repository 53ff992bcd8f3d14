"""What changed between two versions of a procedure, and what follows from it.

A designer reviewing version N+1 wants the changes that matter to a citizen or an officer —
steps added, removed, reordered or made automatic; roles, SLAs, documents, fees, the deadline —
and their consequence ("sum of SLAs now 5 of 7 working days"), not a text diff. Changes of
wording (names, legal basis, references) are listed apart: they change nothing a dossier does.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from motcua.definitions._diff_parts import HUMAN, Change, document_changes, step_changes
from motcua.definitions._graph import hours_text, span_text
from motcua.definitions._models import Procedure

__all__ = ["Change", "ProcedureDiff", "diff_procedures"]


@dataclass(frozen=True)
class ProcedureDiff:
    """The changes from ``before`` to ``after`` (two versions of one procedure, or two files)."""

    before: str
    after: str
    changes: list[Change] = field(default_factory=list)
    consequences: list[str] = field(default_factory=list)
    wording: list[Change] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The diff as plain JSON-ready data."""
        return asdict(self)

    def text(self) -> str:
        """The diff as a designer reads it in a terminal."""
        lines = [f"{self.before} → {self.after}"]
        if self.changes:
            lines += ["Changes that matter:", *(f"  - {c.message}" for c in self.changes)]
            lines += ["What follows:", *(f"  - {c}" for c in self.consequences)]
        else:
            lines.append("No change that matters.")
        if self.wording:
            lines += ["Wording changes:", *(f"  - {c.message}" for c in self.wording)]
        return "\n".join(lines) + "\n"


def _label(procedure: Procedure) -> str:
    return f"{procedure.code}@{procedure.version}"


def _procedure_fields(before: Procedure, after: Procedure) -> list[Change]:
    changes = []
    if before.deadline.hours != after.deadline.hours:
        message = f"statutory deadline: {span_text(before.deadline)} → {span_text(after.deadline)}"
        changes.append(Change("deadline_changed", "deadline", message))
    was_fee = before.fee.model_dump(exclude={"reference"}) if before.fee else None
    now_fee = after.fee.model_dump(exclude={"reference"}) if after.fee else None
    if was_fee != now_fee:
        changes.append(Change("fee_changed", "fee", f"fee: {_fee(before)} → {_fee(after)}"))
    for name in ("agency", "level", "channels"):
        was, now = getattr(before, name), getattr(after, name)
        if was != now:
            changes.append(Change(f"{name}_changed", name, f"{name}: {was} → {now}"))
    if before.deadline.extension_working_days != after.deadline.extension_working_days:
        was, now = before.deadline.extension_working_days, after.deadline.extension_working_days
        changes.append(
            Change("extension_changed", "deadline", f"extension: {was} → {now} working days")
        )
    return changes


def _fee(procedure: Procedure) -> str:
    fee = procedure.fee
    if fee is None or fee.is_free:
        return "free"
    text = f"{fee.online:,} online / {fee.counter:,} at the counter {fee.currency}"
    if fee.exempt_when:
        text += f", exempt when {fee.exempt_when}"
    return text + "".join(f", {r.online:,}/{r.counter:,} when {r.when}" for r in fee.reduced)


def _wording(before: Procedure, after: Procedure) -> list[Change]:
    changes = []
    if before.name != after.name:
        changes.append(Change("name", "name", f"name: {before.name.en!r} → {after.name.en!r}"))
    if before.legal_basis != after.legal_basis:
        changes.append(Change("legal_basis", "legal_basis", f"legal basis: {after.legal_basis}"))
    pairs = [("deadline", before.deadline.reference, after.deadline.reference)]
    if before.fee and after.fee:
        pairs.append(("fee", before.fee.reference, after.fee.reference))
    changes += [
        Change("reference", where, f"{where} reference: {now!r}")
        for where, was, now in pairs
        if was != now
    ]
    old_steps = {s.id: s for s in before.steps}
    for step in after.steps:
        old = old_steps.get(step.id)
        if old is not None and old.name != step.name:
            changes.append(Change("step_name", step.id, f"step '{step.id}' name: {step.name!r}"))
    old_docs = {d.id: d for d in before.documents}
    for doc in after.documents:
        was = old_docs.get(doc.id)
        if was is not None and was.name != doc.name:
            changes.append(
                Change("document_name", doc.id, f"document '{doc.id}' name: {doc.name!r}")
            )
    return changes


def _consequences(before: Procedure, after: Procedure) -> list[str]:
    def sla(p: Procedure) -> float:
        return sum(p.sla_hours().values())

    def officers(p: Procedure) -> int:
        return sum(isinstance(s, HUMAN) for s in p.steps)

    def brings(p: Procedure) -> int:
        return sum(d.replaced_by is None for d in p.documents)

    def visits(p: Procedure) -> int:
        return sum(s.in_person for s in p.steps)

    def yes(p: Procedure) -> str:
        return "yes" if p.full_process_online else "no"

    lines = [
        f"sum of SLAs now {hours_text(sla(after))} of {hours_text(after.deadline.hours)} "
        f"(was {hours_text(sla(before))} of {hours_text(before.deadline.hours)})"
    ]
    counts = [
        ("steps an officer decides", officers),
        ("documents the citizen brings", brings),
        ("steps needing the applicant in person", visits),
        ("full-process online", yes),
    ]
    lines += [
        f"{what}: {f(after)} (was {f(before)})" for what, f in counts if f(after) != f(before)
    ]
    return lines


def diff_procedures(
    before: Procedure,
    after: Procedure,
    *,
    before_label: str | None = None,
    after_label: str | None = None,
) -> ProcedureDiff:
    """Compare two versions of a procedure (or any two procedures).

    Args:
        before: The earlier version.
        after: The later version (or a draft).
        before_label: How to name ``before`` (default ``CODE@VERSION``), e.g. its file.
        after_label: How to name ``after``.

    Returns:
        The changes that matter (empty when only wording differs), what follows from them, and
        the wording changes.
    """
    changes = [
        *_procedure_fields(before, after),
        *step_changes(before, after),
        *document_changes(before, after),
    ]
    if before.code != after.code:
        changes.insert(0, Change("code_changed", "code", f"code: {before.code} → {after.code}"))
    wording = _wording(before, after)
    if not changes and not wording and _differs(before, after):
        # Honest fallback: a field the rules above do not know about changed.
        changes.append(Change("other", "(document)", "other fields differ; compare the files"))
    return ProcedureDiff(
        before=before_label or _label(before),
        after=after_label or _label(after),
        changes=changes,
        consequences=_consequences(before, after) if changes else [],
        wording=wording,
    )


def _differs(before: Procedure, after: Procedure) -> bool:
    skip = {"version", "effective_from"}
    return before.model_dump(exclude=skip) != after.model_dump(exclude=skip)
