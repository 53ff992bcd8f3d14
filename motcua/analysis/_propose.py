"""A draft next version of a procedure that applies its cut candidates, for the designer to review.

The draft is the designer's own YAML file, edited round-trip (ruamel.yaml), so their comments
and layout survive: each rubber-stamp step is removed or made automatic, each document a
database provides is marked ``replaced_by``, and every change carries a YAML comment citing its
evidence (the figures of the bottleneck report, the candidate and the what-if). Its version
is the next free number and it has no ``effective_from``: the designer sets the day it takes
effect, and until then the linter flags it beside the live version and no dossier takes it.

Remove or make automatic? A rubber stamp is removed while another review or approval still
decides on the merits. When every one of them is a stamp, the last — whose decision the result
is issued on — is not removed: the procedure still needs a decision on record before its result.
If its officers decided the same in every observed decision, it is made automatic: in its place
a verification the engine runs with no officer (the procedure's own checks against its data
source), whose evidence is the record and whose failure refuses the dossier. If they sometimes
decided otherwise, an officer's decision still changes outcomes there, and it is kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path

from ruamel.yaml import YAML

from motcua.analysis._bottlenecks import BottleneckReport
from motcua.analysis._candidates import CutCandidate
from motcua.analysis._propose_steps import automate_step, remove_step
from motcua.analysis._whatif import WhatIf
from motcua.definitions import ApprovalStep, Procedure, ReceiptStep, ReviewStep

__all__ = ["Draft", "propose"]


@dataclass(frozen=True)
class Draft:
    """The draft's YAML text, the changes it applies and the candidates it leaves alone."""

    text: str
    version: int
    applied: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 100
    yaml.indent(mapping=2, sequence=4, offset=2)  # the layout of procedure_defs/*.yaml
    return yaml


def _stamp_evidence(
    candidate: CutCandidate,
    report: BottleneckReport,
    projections: Sequence[WhatIf],
    *,
    without: str = "without it",
) -> str:
    e = candidate.evidence
    text = f"'{e['outcome']}' in {e['share']:.1%} of {e['decisions']} decisions"
    stats = next(
        (
            s
            for s in report.steps
            if (s.procedure, s.step) == (candidate.procedure, candidate.subject)
        ),
        None,
    )
    if stats is not None and stats.waiting_hours.median is not None:
        working = stats.working_hours.median or 0.0
        text += (
            f"; median {stats.waiting_hours.median:.1f} h waiting + {working:.1f} h working "
            f"per task, {stats.share:.0%} of lead time"
        )
    for w in projections:
        if (w.procedure, w.scenario.step) == (candidate.procedure, candidate.subject) and (
            w.scenario.action in ("remove", "automate")
        ):
            text += (
                f"; {without} (what-if on {w.dossiers} dossiers): median lead "
                f"{w.baseline.median_hours:.1f} → {w.projected.median_hours:.1f} working hours, "
                f"on time {w.baseline.on_time_rate:.0%} → {w.projected.on_time_rate:.0%}"
            )
    return text


def _last_decision(base: Procedure, candidates: Sequence[CutCandidate]) -> str | None:
    """The rubber stamp the draft does not remove when the candidates name every review and
    approval step: the last of them, whose decision issues the result. Removed, no decision on
    the merits would be on record and every dossier that passed receipt would be granted
    (found on the demo's log, where the review approves 98.6% and the signature 100%)."""
    decisions = [s.id for s in base.steps if isinstance(s, ReviewStep | ApprovalStep)]
    stamps = {c.subject for c in candidates if c.kind == "rubber_stamp"}
    return decisions[-1] if decisions and stamps.issuperset(decisions) else None


def propose(
    base: Procedure,
    source: Path,
    *,
    version: int,
    candidates: Sequence[CutCandidate],
    report: BottleneckReport,
    projections: Sequence[WhatIf] = (),
) -> Draft:
    """Write version ``version`` of ``base`` (loaded from ``source``) applying ``candidates``.

    Args:
        base: The version the draft starts from (the one in force).
        source: Its YAML file; its comments and layout are kept.
        version: The draft's version number (the next free one).
        candidates: Cut candidates of the log; those of other procedures are ignored.
        report: The bottleneck report the candidates come from (figures for the comments).
        projections: What-ifs of removing the rubber stamps (figures for the comments).

    Returns:
        The draft's text and what it changed; the text is valid YAML the linter accepts.
    """
    yaml = _yaml()
    data = yaml.load(source.read_text(encoding="utf-8"))
    applied: list[str] = []
    skipped: list[str] = []
    step_ids = {s.id for s in base.steps}
    mine = [c for c in candidates if c.procedure == base.code]
    last = _last_decision(base, mine)
    for c in mine:
        if c.kind == "rubber_stamp" and c.subject in step_ids:
            if isinstance(base.step(c.subject), ReceiptStep):
                skipped.append(f"step '{c.subject}': a receipt step cannot be removed")
                continue
            if c.subject != last:
                remove_step(data, c.subject, _stamp_evidence(c, report, projections))
                applied.append(f"removed step '{c.subject}' ({c.reason})")
            elif c.evidence["share"] >= 1.0:
                evidence = _stamp_evidence(c, report, projections, without="with no officer")
                became = automate_step(data, base, c.subject, evidence)
                applied.append(f"made step '{c.subject}' automatic ({became}; {c.reason})")
            else:
                skipped.append(
                    f"step '{c.subject}' ({c.reason}): kept as the last decision on the merits; "
                    "its officers sometimes decided otherwise, so no automatic check stands in"
                )
        elif c.kind == "database_document":
            document = base.document(c.subject)
            if document is None or document.replaced_by == c.evidence["source"]:
                skipped.append(
                    f"document '{c.subject}': already provided by {c.evidence['source']}"
                )
                continue
            entry = next(d for d in data["documents"] if d["id"] == c.subject)
            entry["replaced_by"] = c.evidence["source"]
            entry.yaml_add_eol_comment(
                f"requested {c.evidence['requests']} times in supplements of "
                f"{c.evidence['dossiers']} dossiers though {c.evidence['source']} provides it",
                "replaced_by",
            )
            applied.append(f"document '{c.subject}' now replaced_by {c.evidence['source']}")
    data["version"] = version
    data.yaml_add_eol_comment(f"draft after version {base.version}", "version")
    if "effective_from" in data:
        del data["effective_from"]
    stream = StringIO()
    yaml.dump(data, stream)
    header = (
        f"# DRAFT version {version} of {base.code}, proposed by `motcua bottlenecks --propose` "
        f"from version {base.version}.\n"
        "# Before putting it live: review each change (the comments give the evidence), then\n"
        "# add `effective_from: YYYY-MM-DD` (the day it takes effect) after `version:`. Without\n"
        "# it no dossier takes this version, and the linter flags it beside the live one.\n"
    )
    return Draft(text=header + stream.getvalue(), version=version, applied=applied, skipped=skipped)
