"""The linter speaks to designers: each message says how to fix the YAML (issue 14)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from motcua.definitions import validate_paths

from ._helpers import BASE, dump, line_of, lint, procedure, step, write


def test_an_unknown_role_lists_the_valid_roles_and_a_likely_one(tmp_path: Path) -> None:
    [problem] = lint(tmp_path, lambda d: step(d, "approve").update(role="chairmen"))
    assert problem.path == "steps[2].role"
    assert problem.message == (
        "unknown role 'chairmen' at agency 'commune-pc'; "
        "valid: one-stop-officer, civil-status-officer, chairman, feedback-officer; "
        "did you mean 'chairman'?"
    )


def test_the_sla_message_gives_the_sum_of_every_sla(tmp_path: Path) -> None:
    def slow(d: dict[str, Any]) -> None:
        step(d, "review")["sla"] = {"working_days": 5}  # running total 6 days here, past 5

    [problem] = lint(tmp_path, slow)
    # 1 + 5 + 1 = 7 working days in all, not the 6 of the running total at the review.
    assert problem.path == "steps[1].sla"
    assert problem.message.startswith("the SLAs add up to 7 working days (receive 1 working day")
    assert "shorten them by 2 working days" in problem.message


def test_an_adapter_typo_is_reported_as_a_typo_not_as_a_missing_verify_step(
    tmp_path: Path,
) -> None:
    def typo(d: dict[str, Any]) -> None:
        d["documents"][0]["replaced_by"] = "population"
        verify = {"id": "verify", "kind": "verify", "adapter": "populaton", "checks": ["identity"]}
        d["steps"].insert(1, verify)

    [problem] = lint(tmp_path, typo)
    assert problem.path == "steps[1].adapter"
    assert problem.message.startswith("unknown adapter 'populaton'; valid: ")
    assert problem.message.endswith("did you mean 'population'?")


def test_an_unquoted_numeric_code_gets_a_hint_to_quote_it(tmp_path: Path) -> None:
    text = dump(BASE).replace("code: '9.000001'", "code: 1.004870")
    path = write(tmp_path, "test.yaml", text)
    [problem] = validate_paths([path])
    assert problem.path == "code"
    assert problem.line == line_of(path, "code: 1.004870")
    # Quoted as written: YAML would read 1.004870 as the number 1.00487.
    assert problem.message.endswith(
        'YAML reads 1.004870 as a number: put it in quotes, code: "1.004870"'
    )


def test_a_number_in_a_list_of_texts_gets_the_hint_too(tmp_path: Path) -> None:
    path = procedure(tmp_path, lambda d: d.update(legal_basis=[2024]))
    [problem] = validate_paths([path])
    assert problem.path == "legal_basis[0]"
    assert problem.message.endswith("; YAML reads 2024 as a number: put it in quotes")
