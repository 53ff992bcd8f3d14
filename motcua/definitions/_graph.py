"""Diagrams (Mermaid) and a plain-text summary of a definition, for designers and reviewers."""

from __future__ import annotations

from collections.abc import Iterator

from motcua.definitions._models import (
    ApprovalStep,
    Bundle,
    ConsultStep,
    Fee,
    PaymentStep,
    Procedure,
    ReceiptStep,
    ResultStep,
    ReviewStep,
    Step,
    VerifyStep,
    WorkSpan,
)

__all__ = ["hours_text", "mermaid", "mermaid_bundle", "span_text", "summary"]

_HUMAN = (ReceiptStep, ReviewStep, ApprovalStep)
# Outcomes that leave the main path, and the terminal node each one leads to.
_EXITS = {
    "refuse": ("refused", "Refused"),
    "reject": ("rejected", "Rejected"),
    "request_supplement": ("supplement", "Awaiting supplement"),
}


def hours_text(hours: float) -> str:
    """``2 working days`` for whole days (8 working hours each), else ``12 working hours``."""
    if hours % 8:
        return f"{hours:g} working hour{'' if hours == 1 else 's'}"
    days = hours / 8
    return f"{days:g} working day{'' if days == 1 else 's'}"


def span_text(span: WorkSpan) -> str:
    """``2 working days``, ``3 working hours`` or ``same working day``."""
    if span.same_day:
        return "same working day"
    amount, unit = (
        (span.working_hours, "working hour")
        if span.working_hours is not None
        else (span.working_days, "working day")
    )
    return f"{amount:g} {unit}{'' if amount == 1 else 's'}"


def _escape(text: str) -> str:
    """Make text safe inside a quoted Mermaid label."""
    return (
        text.replace("&", "#amp;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")
    )


def _label(*lines: str) -> str:
    return '"' + "<br/>".join(_escape(line) for line in lines if line) + '"'


def _node(step: Step) -> str:
    """Mermaid node id for a step (prefixed: step ids such as ``end`` are Mermaid keywords)."""
    return f"s_{step.id}"


def _step_lines(step: Step, procedure: Procedure) -> list[str]:
    lines = [f"{step.id}: {step.kind}"]
    if isinstance(step, _HUMAN):
        lines.append(f"{step.role}@{step.agency or procedure.agency}")
        if step.sla is not None:
            lines.append(f"SLA {span_text(step.sla)}")
    elif isinstance(step, VerifyStep):
        lines.append(f"{step.adapter}: {', '.join(step.checks)}")
    elif isinstance(step, ResultStep):
        lines.append(f"{step.result_type} ({step.result_type_code}) → {', '.join(step.delivery)}")
    if step.when:
        lines.append(f"when {step.when}")
    if step.in_person:
        lines.append("in person")
    return lines


def _consult(step: ConsultStep, previous: str) -> Iterator[str]:
    fork = _node(step)
    yield f"    {fork}{{{{{_label(f'{step.id}: consult')}}}}}"
    yield f"    {previous} --> {fork}"
    for branch in step.branches:
        node = f"b_{step.id}_{branch.id}"
        sla = f"SLA {span_text(branch.sla)}" if branch.sla else ""
        yield f"    {node}[{_label(branch.id, branch.holder, sla)}]"
        yield f"    {fork} --> {node}"
        yield f"    {node} --> {fork}_join"
    yield f"    {fork}_join(({_label('all answered')}))"
    if step.on_objection == "reject":
        yield f"    {fork}_join -- objection --> rejected"


def mermaid(procedure: Procedure) -> str:
    """Draw a procedure as a Mermaid ``flowchart TD``.

    Steps run top to bottom; consultation branches fork and join in parallel; outcomes that
    leave the main path (refuse, reject, request supplement, payment lapse) lead to end nodes.

    Args:
        procedure: The procedure definition.

    Returns:
        Mermaid source text.
    """
    out = ["flowchart TD", f"    start([{_label('Submitted')}])"]
    exits: set[str] = set()
    previous = "start"
    for step in procedure.steps:
        node = _node(step)
        if isinstance(step, ConsultStep):
            out += _consult(step, previous)
            exits |= {"reject"} if step.on_objection == "reject" else set()
            previous = f"{node}_join"
            continue
        shape = ("[/", "/]") if isinstance(step, PaymentStep) else ("[", "]")
        out.append(f"    {node}{shape[0]}{_label(*_step_lines(step, procedure))}{shape[1]}")
        out.append(f"    {previous} --> {node}")
        for outcome in getattr(step, "outcomes", []):
            if outcome in _EXITS:
                exits.add(outcome)
                arrow = "-." if outcome == "request_supplement" else "--"
                end = ".->" if outcome == "request_supplement" else "-->"
                out.append(f"    {node} {arrow} {outcome} {end} {_EXITS[outcome][0]}")
        if isinstance(step, PaymentStep):
            out.append(f"    {node} -. not paid .-> lapsed([{_label('Lapsed')}])")
        previous = node
    out.append(f"    {previous} --> done([{_label('Result issued')}])")
    for outcome in sorted(exits):
        target, text = _EXITS[outcome]
        out.append(f"    {target}([{_label(text)}])")
    return "\n".join(out) + "\n"


def mermaid_bundle(bundle: Bundle) -> str:
    """Draw an interconnected bundle: members as nodes, ``after`` as edges.

    Args:
        bundle: The bundle definition.

    Returns:
        Mermaid source text.
    """
    out = ["flowchart TD", f"    start([{_label('Application')}])"]
    needed = {after for member in bundle.members for after in member.after}
    for member in bundle.members:
        node = f"m_{member.id}"
        out.append(f"    {node}[{_label(member.id, member.procedure)}]")
        for after in member.after or ["start"]:
            out.append(f"    {after if after == 'start' else f'm_{after}'} --> {node}")
        if member.id not in needed:
            out.append(f"    {node} --> done")
    out.append(f"    done([{_label(f'All results within {span_text(bundle.deadline)}')}])")
    return "\n".join(out) + "\n"


def _money(amount: int) -> str:
    return f"{amount:,} VND" if amount else "free"


def _fee_lines(fee: Fee | None) -> list[str]:
    if fee is None or fee.is_free:
        return ["Fee: free"]
    lines = [f"Fee: online {_money(fee.online)}, counter/post {_money(fee.counter)}"]
    lines += [
        f"  reduced when {r.when}: online {_money(r.online)}, counter/post {_money(r.counter)}"
        for r in fee.reduced
    ]
    if fee.exempt_when:
        lines.append(f"  exempt when {fee.exempt_when}")
    if fee.reference:
        lines.append(f"  ({fee.reference})")
    return lines


def _step_summary(index: int, step: Step, procedure: Procedure) -> str:
    text = f"  {index}. {step.id} ({step.kind})"
    if step.name:
        text += f" {step.name}"
    if isinstance(step, _HUMAN):
        text += f" — {step.role} @ {step.agency or procedure.agency}"
        text += f", SLA {span_text(step.sla)}" if step.sla else ""
        if step.four_eyes_with:
            text += f", not the officer of {', '.join(step.four_eyes_with)}"
    elif isinstance(step, VerifyStep):
        text += f" — {step.adapter}: {', '.join(step.checks)}"
    elif isinstance(step, ConsultStep):
        branches = (
            b.holder.replace("@", " @ ") + (f" ({span_text(b.sla)})" if b.sla else "")
            for b in step.branches
        )
        text += " — in parallel: " + "; ".join(branches)
    elif isinstance(step, ResultStep):
        text += f" — {step.result_type} ({step.result_type_code}) to {', '.join(step.delivery)}"
    text += f" [when {step.when}]" if step.when else ""
    return text + (" [in person]" if step.in_person else "")


def _effective(definition: Procedure | Bundle) -> str:
    day = definition.effective_from
    return f" (in force from {day.isoformat()})" if day else ""


def _bundle_summary(bundle: Bundle) -> str:
    lines = [
        f"{bundle.name.en} / {bundle.name.vi}",
        f"Interconnected bundle {bundle.code}, version {bundle.version}{_effective(bundle)}, "
        f"lead agency {bundle.lead_agency}",
        f"Legal basis: {'; '.join(bundle.legal_basis)}",
        f"Deadline: {span_text(bundle.deadline)} for the whole bundle",
        f"Channels: {', '.join(bundle.channels)}",
        "Members:",
    ]
    for member in bundle.members:
        after = f" after {', '.join(member.after)}" if member.after else ""
        lines.append(f"  - {member.id}: procedure {member.procedure}{after}")
    return "\n".join(lines) + "\n"


def summary(procedure: Procedure | Bundle) -> str:
    """Describe a procedure (or a bundle) in plain, multi-line text for designers and reviewers.

    Args:
        procedure: The procedure definition, or an interconnected bundle.

    Returns:
        Name, code, agency, legal basis, deadline, channels, fee, documents (and which ones the
        citizen need not provide) and steps with their roles and SLAs; for a bundle, its members
        and their order.
    """
    if isinstance(procedure, Bundle):
        return _bundle_summary(procedure)
    deadline = span_text(procedure.deadline)
    if procedure.deadline.reference:
        deadline += f" ({procedure.deadline.reference})"
    online = "yes" if procedure.full_process_online else "no"
    lines = [
        f"{procedure.name.en} / {procedure.name.vi}",
        f"Code {procedure.code}, version {procedure.version}{_effective(procedure)}, "
        f"agency {procedure.agency} ({procedure.level})",
        f"Legal basis: {'; '.join(procedure.legal_basis)}",
        f"Deadline: {deadline}",
        f"Channels: {', '.join(procedure.channels)}; full-process online: {online}",
        *_fee_lines(procedure.fee),
        "Documents:",
    ]
    for document in procedure.documents:
        required = document.required
        need = (
            "required" if required is True else ("optional" if not required else f"if {required}")
        )
        text = f"  - {document.id}: {document.name} ({need})"
        if document.replaced_by:
            text += f" — not asked: provided by {document.replaced_by}"
        lines.append(text)
    if not procedure.documents:
        lines.append("  (none)")
    lines.append("Steps:")
    lines += [_step_summary(i, s, procedure) for i, s in enumerate(procedure.steps, start=1)]
    return "\n".join(lines) + "\n"
