"""The sample definitions in ``procedure_defs/`` are valid and draw completely."""

from __future__ import annotations

import pytest

from motcua.definitions import (
    Bundle,
    Procedure,
    load_catalog,
    mermaid,
    mermaid_bundle,
    summary,
    validate_paths,
)
from motcua.definitions._models import ConsultStep

from ._helpers import SAMPLES

CATALOG = load_catalog(SAMPLES)
PROCEDURES = sorted(CATALOG.procedures(), key=lambda p: p.code)


def test_samples_are_valid() -> None:
    assert validate_paths([SAMPLES]) == []
    assert set(CATALOG.codes()) >= {"1.001193", "1.004222", "1.001612", "1.000894", "3.000722"}


@pytest.mark.parametrize("procedure", PROCEDURES, ids=lambda p: p.code)
def test_graph_contains_every_step(procedure: Procedure) -> None:
    text = mermaid(procedure)
    assert text.startswith("flowchart TD\n")
    for step in procedure.steps:
        assert f"s_{step.id}" in text
        if isinstance(step, ConsultStep):
            assert all(f"b_{step.id}_{b.id}" in text for b in step.branches)


def test_consult_branches_fork_and_join() -> None:
    text = mermaid(CATALOG.latest("2.000488"))
    assert "s_checks --> b_checks_residence_check" in text
    assert "b_checks_court_records --> s_checks_join" in text
    assert "s_review -- reject --> rejected" in text


def test_bundle_graph_follows_after() -> None:
    bundle = CATALOG.bundle("3.000722")
    assert isinstance(bundle, Bundle)
    text = mermaid_bundle(bundle)
    assert "start --> m_birth" in text
    assert "m_birth --> m_residence" in text and "m_birth --> m_insurance" in text


def test_summary_says_what_the_citizen_need_not_provide() -> None:
    text = summary(CATALOG.latest("1.004222"))
    assert "Permanent residence registration / Đăng ký thường trú" in text
    assert "online 10,000 VND, counter/post 20,000 VND" in text
    assert "exempt when applicant.age < 6" in text
    assert "lawful_residence: Proof of lawful residence (required) — not asked" in text
    assert "sign (approval) — police-chief @ commune-police, SLA 1 working day" in text


def test_marriage_is_partial_online() -> None:
    assert "full-process online: no" in summary(CATALOG.latest("1.000894"))
    assert "full-process online: yes" in summary(CATALOG.latest("1.001193"))
