"""The draft's step edits, on the round-trip YAML (``_propose``): a rubber stamp removed, or
made automatic in its place, with the evidence as a comment where the change is."""

from __future__ import annotations

import textwrap
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from motcua.definitions import Procedure, VerifyStep

__all__ = ["automate_step", "remove_step"]


def _comment(steps: CommentedSeq, index: int, text: str) -> None:
    steps.yaml_set_comment_before_after_key(index, before=textwrap.fill(text, width=94), indent=2)


def _forget_four_eyes(steps: CommentedSeq, step_id: str) -> None:
    """Four eyes with a step no officer decides any more protects nothing (and the linter
    refuses it)."""
    for step in steps:
        others = step.get("four_eyes_with")
        if others is not None and step_id in others:
            others.remove(step_id)
            if not others:
                del step["four_eyes_with"]


def _who(step: Any) -> str:
    return f"{step['kind']} by {step.get('role', 'system')}"


def remove_step(data: Any, step_id: str, evidence: str) -> None:
    """Remove ``step_id``, leaving a comment with ``evidence`` where it was."""
    steps = data["steps"]
    index = [s["id"] for s in steps].index(step_id)
    removed = steps[index]
    del steps[index]
    _comment(steps, index, f"removed step '{step_id}' ({_who(removed)}): {evidence}")
    _forget_four_eyes(steps, step_id)


def automate_step(data: Any, base: Procedure, step_id: str, evidence: str) -> str:
    """Make ``step_id`` automatic: in its place, with its id, a verification against the
    procedure's data source (the checks its verify step makes; else the population database's
    identity check), which the engine runs with no officer and records with its evidence.

    Returns:
        What the step became, e.g. ``verify against population: identity, alive``.
    """
    steps = data["steps"]
    index = [s["id"] for s in steps].index(step_id)
    old = steps[index]
    verify = next((s for s in base.steps if isinstance(s, VerifyStep)), None)
    adapter = verify.adapter if verify else "population"
    checks = CommentedSeq(verify.checks if verify else ["identity"])
    checks.fa.set_flow_style()
    new = CommentedMap(id=step_id)
    for key in ("name", "when"):
        if key in old:
            new[key] = old[key]
    new.update(kind="verify", adapter=adapter, checks=checks)
    steps[index] = new
    became = f"verify against {adapter}: {', '.join(checks)}"
    _comment(steps, index, f"made step '{step_id}' automatic ({_who(old)} → {became}): {evidence}")
    _forget_four_eyes(steps, step_id)
    return became
