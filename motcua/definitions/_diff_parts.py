"""The step and document changes between two versions of a procedure (see ``_diff``)."""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from motcua.definitions._graph import span_text
from motcua.definitions._models import (
    ApprovalStep,
    Document,
    Procedure,
    ReceiptStep,
    ReviewStep,
    Step,
)

__all__ = ["HUMAN", "Change", "document_changes", "step_changes"]

HUMAN = (ReceiptStep, ReviewStep, ApprovalStep)
# Fields compared one by one below, and wording (names, questions): the rest is compared whole.
_COMPARED = frozenset({"id", "kind", "role", "agency", "sla", "in_person", "when", "name"})


@dataclass(frozen=True)
class Change:
    """One difference: ``kind`` (e.g. ``step_removed``), its ``subject`` and a sentence."""

    kind: str
    subject: str
    message: str


def _holder(step: Step) -> str:
    if isinstance(step, HUMAN):
        sla = f", SLA {span_text(step.sla)}" if step.sla else ""
        return f"{step.kind} by {step.role}{sla}"
    return step.kind


def step_changes(before: Procedure, after: Procedure) -> list[Change]:
    old = {s.id: s for s in before.steps}
    new = {s.id: s for s in after.steps}
    changes = [
        Change("step_removed", s.id, f"step '{s.id}' removed ({_holder(s)})")
        for s in before.steps
        if s.id not in new
    ]
    changes += [
        Change("step_added", s.id, f"step '{s.id}' added ({_holder(s)})")
        for s in after.steps
        if s.id not in old
    ]
    changes += _reordered(
        [s.id for s in before.steps if s.id in new], [s.id for s in after.steps if s.id in old]
    )
    for step_id, step in new.items():
        if step_id in old:
            changes += _step_fields(old[step_id], step)
    return changes


def _reordered(before: list[str], after: list[str]) -> list[Change]:
    """Steps kept by both versions whose place among the others changed."""
    matcher = SequenceMatcher(a=before, b=after, autojunk=False)
    stayed = {before[b.a + k] for b in matcher.get_matching_blocks() for k in range(b.size)}
    changes = []
    for i, step_id in enumerate(after):
        if step_id not in stayed:
            place = f"after '{after[i - 1]}'" if i else "first"
            j = before.index(step_id)
            was = f"after '{before[j - 1]}'" if j else "first"
            changes.append(
                Change("step_moved", step_id, f"step '{step_id}' moved: now {place} (was {was})")
            )
    return changes


def _step_fields(old: Step, new: Step) -> list[Change]:
    sid = new.id
    if isinstance(old, HUMAN) and not isinstance(new, HUMAN):
        return [
            Change(
                "step_automated", sid, f"step '{sid}' made automatic: {_holder(old)} → {new.kind}"
            )
        ]
    if old.kind != new.kind:
        return [Change("step_kind", sid, f"step '{sid}' is now a {new.kind} step (was {old.kind})")]
    changes = []
    pairs = [
        (f, getattr(old, f, None), getattr(new, f, None))
        for f in ("role", "agency", "in_person", "when")
    ]
    for name, was, now in pairs:
        if was != now:
            changes.append(Change(f"{name}_changed", sid, f"step '{sid}' {name}: {was} → {now}"))
    was_sla, now_sla = getattr(old, "sla", None), getattr(new, "sla", None)
    if was_sla != now_sla:
        text = [span_text(s) if s else "none" for s in (was_sla, now_sla)]
        changes.append(Change("sla_changed", sid, f"step '{sid}' SLA: {text[0]} → {text[1]}"))
    rest = [f for f in type(new).model_fields if f not in _COMPARED]
    for name in rest:
        if getattr(old, name) != getattr(new, name):
            was, now = _plain(getattr(old, name)), _plain(getattr(new, name))
            changes.append(Change(f"{name}_changed", sid, f"step '{sid}' {name}: {was} → {now}"))
    return changes


def _plain(value: Any) -> Any:
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value.model_dump(exclude_defaults=True) if hasattr(value, "model_dump") else value


def document_changes(before: Procedure, after: Procedure) -> list[Change]:
    new = {d.id: d for d in after.documents}
    changes = []
    for old in before.documents:
        doc = new.get(old.id)
        if doc is None:
            changes.append(Change("document_dropped", old.id, f"document '{old.id}' dropped"))
        elif doc.replaced_by and doc.replaced_by != old.replaced_by:
            message = f"document '{old.id}' now provided by {doc.replaced_by}: never asked for"
            changes.append(Change("document_replaced", old.id, message))
        elif old.replaced_by and not doc.replaced_by:
            message = f"document '{old.id}' asked of the citizen again (was from {old.replaced_by})"
            changes.append(Change("document_asked", old.id, message))
        if doc is not None and doc.required != old.required:
            message = f"document '{old.id}' required: {old.required} → {doc.required}"
            changes.append(Change("document_required", old.id, message))
    ids = {d.id for d in before.documents}
    changes += [
        Change("document_added", d.id, f"document '{d.id}' added ({_supplier(d)})")
        for d in after.documents
        if d.id not in ids
    ]
    return changes


def _supplier(document: Document) -> str:
    return (
        f"provided by {document.replaced_by}" if document.replaced_by else "the citizen brings it"
    )
