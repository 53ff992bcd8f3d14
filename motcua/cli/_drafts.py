"""``motcua bottlenecks --propose CODE``: the draft next version, written where the designer
can review it, diff it and simulate it."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from motcua.analysis import BottleneckReport, CutCandidate, WhatIf
    from motcua.definitions import Catalog, Procedure

__all__ = ["current_procedures", "write_draft"]


def current_procedures(catalog: Catalog) -> dict[str, Procedure]:
    """Each procedure at its current version (in force today, else the first to come): the one
    the analysis reads documents from and a proposal starts from."""
    from motcua.engine import filing_day

    today = filing_day()
    return {code: catalog.current(code, today) for code in {p.code for p in catalog.procedures()}}


def write_draft(
    catalog: Catalog,
    code: str,
    report: BottleneckReport,
    candidates: Sequence[CutCandidate],
    projections: Sequence[WhatIf],
    *,
    out: Path | None,
    as_json: bool,
) -> None:
    """Write the draft of ``code``'s next version and say what it changed and what to do next."""
    from motcua.analysis import propose
    from motcua.settings import get_settings

    base = current_procedures(catalog)[code]
    source = Path(catalog.source(base).file)
    version = max(p.version for p in catalog.versions(code)) + 1
    draft = propose(
        base,
        source,
        version=version,
        candidates=candidates,
        report=report,
        projections=projections,
    )
    if not draft.applied:
        reasons = "; ".join(draft.skipped) or "no cut candidates on this log"
        typer.echo(f"Nothing to propose for {code} ({reasons}); no draft written.")
        return
    path = out or get_settings().var_dir / "drafts" / f"{source.stem}_v{version}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(draft.text, encoding="utf-8")
    if as_json:
        payload = {"draft": str(path), "version": version, "base_version": base.version,
                   "applied": draft.applied, "skipped": draft.skipped}  # fmt: skip
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    # Plain lines (no wrapping): the path must stay whole for the designer to copy.
    typer.echo(f"Draft version {version} of {code} written to {path}:")
    for change in draft.applied:
        typer.echo(f"  - {change}")
    for note in draft.skipped:
        typer.echo(f"  (left as is: {note})")
    typer.echo(
        f"Next: review it, `motcua procedures diff {code}@{base.version} {path}`, "
        f"`motcua procedures validate {path}`; set effective_from to put it live."
    )
