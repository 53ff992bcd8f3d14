"""``diff_procedures``: the changes that matter between two versions, and what follows."""

from __future__ import annotations

from typing import Any

from motcua.definitions import (
    Procedure,
    ReviewStep,
    VerifyStep,
    WorkSpan,
    diff_procedures,
    load_catalog,
)

from ._helpers import SAMPLES


def _residence() -> Procedure:
    return load_catalog(SAMPLES).get("1.004222", 1)


def _next(base: Procedure, **changes: Any) -> Procedure:
    return base.model_copy(update={"version": base.version + 1, **changes})


def test_moved_automated_and_retimed_steps() -> None:
    base = _residence()
    receive, verify, fee, review, _, result = base.steps
    assert isinstance(review, ReviewStep)
    faster = review.model_copy(update={"sla": WorkSpan(working_days=2)})
    automatic = VerifyStep(id="sign", kind="verify", checks=["identity"])
    changed = _next(base, steps=[receive, fee, verify, faster, automatic, result])
    kinds = [(c.kind, c.subject) for c in diff_procedures(base, changed).changes]
    assert ("step_moved", "fee") in kinds or ("step_moved", "verify") in kinds
    assert ("sla_changed", "review") in kinds
    assert ("step_automated", "sign") in kinds
    messages = [c.message for c in diff_procedures(base, changed).changes]
    assert "step 'review' SLA: 4 working days → 2 working days" in messages
    assert "step 'sign' made automatic: approval by police-chief, SLA 1 working day → verify" in (
        messages
    )


def test_documents_fee_deadline_and_what_follows() -> None:
    base = _residence()
    ct01 = base.documents[0].model_copy(update={"replaced_by": "population"})
    assert base.fee is not None
    fee = base.fee.model_copy(update={"online": 0, "counter": 15000})
    deadline = base.deadline.model_copy(update={"working_days": 5})
    changed = _next(base, documents=[ct01, *base.documents[1:]], fee=fee, deadline=deadline)
    result = diff_procedures(base, changed)
    assert [c.kind for c in result.changes] == [
        "deadline_changed",
        "fee_changed",
        "document_replaced",
    ]
    assert result.changes[0].message == "statutory deadline: 7 working days → 5 working days"
    assert result.changes[2].message == (
        "document 'ct01' now provided by population: never asked for"
    )
    assert result.consequences == [
        "sum of SLAs now 6 working days of 5 working days (was 6 working days of 7 working days)",
        "documents the citizen brings: 0 (was 1)",
    ]


def test_wording_only_is_no_change_that_matters() -> None:
    base = _residence()
    name = base.name.model_copy(update={"en": "Registration of permanent residence"})
    reworded = _next(base, name=name, legal_basis=[*base.legal_basis, "Decree 999/2027"])
    result = diff_procedures(base, reworded)
    assert result.changes == [] and result.consequences == []
    assert [c.kind for c in result.wording] == ["name", "legal_basis"]
    assert "No change that matters." in result.text()
