"""``propose``: a draft next version that applies the cut candidates, comments and all."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from motcua.analysis import (
    CutCandidate,
    Scenario,
    bottlenecks,
    cut_candidates,
    document_sources,
    fit,
    generate_log,
    observe,
    propose,
    simulate,
    what_if,
)
from motcua.definitions import (
    Procedure,
    VerifyStep,
    diff_procedures,
    load_catalog,
    load_definition,
    validate_paths,
)

SAMPLES = Path(__file__).resolve().parents[2] / "procedure_defs"
RESIDENCE = SAMPLES / "permanent_residence.yaml"


def _draft(
    tmp_path: Path, source: Path, share: float | None = None, **plant: str
) -> tuple[Path, list[str]]:
    """Propose on a generated log of ``source``'s procedure; the draft's path and changes.
    ``share``: the rubber stamps' share of their top outcome, as if officers had sometimes
    decided otherwise."""
    base = load_definition(source)
    assert isinstance(base, Procedure)
    log = generate_log(600, seed=5, procedure=base, **plant)  # type: ignore[arg-type]
    report = bottlenecks(log)
    catalog = load_catalog(SAMPLES)
    candidates = cut_candidates(
        report,
        log,
        definitions={base.code: base},
        sources=document_sources(catalog.procedures()),
    )
    if share is not None:
        candidates = tuple(_with_share(c, share) for c in candidates)
    model = fit(log, procedure=base.code)
    stamps = [c.subject for c in candidates if c.kind == "rubber_stamp"]
    projections = [what_if(model, Scenario("remove", s)) for s in stamps]
    draft = propose(
        base, source, version=2, candidates=candidates, report=report, projections=projections
    )
    path = tmp_path / "drafts" / "residence_v2.yaml"
    path.parent.mkdir()
    path.write_text(draft.text, encoding="utf-8")
    return path, draft.applied


def _with_share(candidate: CutCandidate, share: float) -> CutCandidate:
    if candidate.kind != "rubber_stamp":
        return candidate
    return replace(candidate, evidence={**candidate.evidence, "share": share})


def _without_review(tmp_path: Path) -> Path:
    """The residence procedure with no review: the signature is its one decision on the merits."""
    text = RESIDENCE.read_text(encoding="utf-8")
    start, end = text.index("  - id: review\n"), text.index("  - id: sign\n")
    source = tmp_path / "residence.yaml"
    source.write_text(text[:start] + text[end:], encoding="utf-8")
    return source


def test_the_draft_drops_the_planted_rubber_stamp_and_passes_the_linter(tmp_path: Path) -> None:
    path, applied = _draft(tmp_path, RESIDENCE, plant_rubber_stamp_step="sign")
    assert validate_paths([path]) == []
    draft = load_definition(path)
    assert isinstance(draft, Procedure)
    assert (draft.version, draft.effective_from) == (2, None)
    assert [s.id for s in draft.steps] == ["receive", "verify", "fee", "review", "result"]
    assert applied[0].startswith("removed step 'sign' ('approve' in 100.0% of ")
    text = path.read_text(encoding="utf-8")
    # The evidence is in a comment where the step was, with the what-if's figures.
    comment = text[text.index("  # removed step 'sign'") : text.index("  - id: result")]
    evidence = " ".join(line.strip().removeprefix("# ") for line in comment.splitlines())
    assert evidence.startswith("removed step 'sign' (approval by police-chief): 'approve' in")
    assert "median lead" in evidence and "on time" in evidence
    # The designer's comments and layout survive the round trip.
    assert "# Children exempt: from secondary material (unverified)" in text
    assert 'code: "1.004222"' in text and "channels: [online, counter, post]" in text
    assert "effective_from: YYYY-MM-DD" in text  # the header says what to add


def test_a_document_another_procedure_takes_from_a_database_is_marked(tmp_path: Path) -> None:
    text = RESIDENCE.read_text(encoding="utf-8")
    unmarked = text.replace(
        '    required: "form.joins_household"\n    replaced_by: population\n',
        '    required: "form.joins_household"\n',
    )
    assert unmarked != text
    source = tmp_path / "residence.yaml"
    source.write_text(unmarked, encoding="utf-8")
    path, applied = _draft(tmp_path, source)
    assert applied == ["document 'relationship' now replaced_by population"]
    assert validate_paths([path]) == []
    draft = load_definition(path)
    assert isinstance(draft, Procedure)
    relationship = draft.document("relationship")
    assert relationship is not None and relationship.replaced_by == "population"
    line = next(x for x in path.read_text().splitlines() if "replaced_by: population" in x)
    assert "requested" in line and "in supplements of" in line


def test_a_receipt_is_never_removed(tmp_path: Path) -> None:
    path, applied = _draft(tmp_path, RESIDENCE, plant_rubber_stamp_step="receive")
    draft = load_definition(path)
    assert isinstance(draft, Procedure)
    assert draft.steps[0].id == "receive"
    assert not any("receive" in change for change in applied)


def test_the_last_decision_on_the_merits_is_kept_when_its_officers_sometimes_differed(
    tmp_path: Path,
) -> None:
    # The demo's log flags both the review and the signature: removing both would grant every
    # dossier unseen. Here the review is gone already and the signature approves 99%.
    path, applied = _draft(
        tmp_path, _without_review(tmp_path), 0.99, plant_rubber_stamp_step="sign"
    )
    draft = load_definition(path)
    assert isinstance(draft, Procedure)
    assert draft.step("sign").kind == "approval"
    assert not any("sign" in change for change in applied)


def test_the_last_decision_always_the_same_is_made_automatic(tmp_path: Path) -> None:
    source = _without_review(tmp_path)
    path, applied = _draft(tmp_path, source, plant_rubber_stamp_step="sign")
    assert validate_paths([path]) == []
    draft, base = load_definition(path), load_definition(source)
    assert isinstance(draft, Procedure) and isinstance(base, Procedure)
    # In its place, with its id: the checks the procedure makes against its data source.
    assert [s.id for s in draft.steps] == [s.id for s in base.steps]
    sign = draft.step("sign")
    assert isinstance(sign, VerifyStep)
    assert (sign.adapter, sign.checks) == (
        "population",
        ["identity", "alive", "residence", "relationship"],
    )
    assert applied[0].startswith("made step 'sign' automatic (verify against population: ")
    text = path.read_text(encoding="utf-8")
    comment = text[text.index("  # made step 'sign' automatic") : text.index("  - id: sign")]
    assert "(approval by police-chief → verify against population" in comment
    assert "with no officer (what-if on" in comment
    # The designer reads it as such, and the simulation takes no officer time there.
    (change,) = [c for c in diff_procedures(base, draft).changes if c.subject == "sign"]
    assert change.kind == "step_automated" and "made automatic" in change.message
    log = generate_log(600, seed=5, procedure=base, plant_rubber_stamp_step="sign")
    result = simulate(observe(log, base), base, draft)
    assert result.automated == ["sign"] and result.removed == []
    assert result.projected.officer_hours.value < result.observed.officer_hours.value  # type: ignore[operator]
