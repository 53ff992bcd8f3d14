"""The condition language: parsing, precedence, safety and evaluation."""

from __future__ import annotations

import pytest

from motcua.definitions import evaluate, fields, parse_condition
from motcua.definitions._expr import BinOp, Compare, Field, Literal

CHILD = {"applicant": {"age": 4, "categories": ["student", "disabled"]}, "form": {"x": True}}


def test_and_binds_tighter_than_or() -> None:
    expr = parse_condition("a.x or a.y and a.z")
    assert isinstance(expr, BinOp) and expr.op == "or"
    assert evaluate("true or false and false", {}) is True
    assert evaluate("(true or false) and false", {}) is False


def test_not_applies_to_the_whole_comparison() -> None:
    assert evaluate("not applicant.age < 6", CHILD) is False
    assert evaluate("not not true", {}) is True


def test_comparisons() -> None:
    assert evaluate("applicant.age < 6", CHILD)
    assert evaluate("applicant.age <= 4 and applicant.age >= 4", CHILD)
    assert evaluate("applicant.age > 3.5", CHILD)
    assert evaluate("applicant.age != 5", CHILD)
    assert evaluate("form.x == true", CHILD)
    assert evaluate("'a' < \"b\"", {})


def test_in_list_literal_and_list_field() -> None:
    assert evaluate("applicant.age in [1, 4, 9]", CHILD)
    assert evaluate("applicant.age not in [1, 2,]", CHILD)
    assert evaluate("'student' in applicant.categories", CHILD)
    assert evaluate("'poor_household' not in applicant.categories", CHILD)
    assert evaluate("'poor_household' in applicant.categories", CHILD) is False


def test_missing_field_is_null() -> None:
    assert evaluate("applicant.age < 6", {}) is False
    assert evaluate("applicant.age >= 6", {}) is False
    assert evaluate("applicant.age == null", {}) is True
    assert evaluate("applicant.age != 6", {}) is True
    assert evaluate("'x' in applicant.categories", {}) is False
    assert evaluate("form.joins_household", {}) is False


def test_mixed_types_do_not_order() -> None:
    assert evaluate("applicant.age < 'ten'", CHILD) is False
    assert evaluate("true > 0", {}) is False


def test_only_mappings_are_traversed() -> None:
    class Applicant:
        age = 3

    assert evaluate("applicant.age == 3", {"applicant": Applicant()}) is False


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os')",
        "applicant.name.upper()",
        "open('x')",
        "applicant.__class__",
        "applicant.age + 1",
        "lambda: 1",
        "applicant[0]",
        "applicant.age = 1",
    ],
)
def test_python_is_rejected(text: str) -> None:
    with pytest.raises(ValueError, match="column"):
        parse_condition(text)


def test_error_names_the_column() -> None:
    with pytest.raises(ValueError, match=r"unexpected '\)' at column 12"):
        parse_condition("applicant.a)")
    with pytest.raises(ValueError, match="unexpected end of condition at column 16"):
        parse_condition("applicant.age <")
    with pytest.raises(ValueError, match="unterminated string at column 1"):
        parse_condition("'abc")


def test_ast_is_immutable_and_parsing_cached() -> None:
    expr = parse_condition("applicant.age < 6")
    assert expr == Compare("<", Field(("applicant", "age")), Literal(6))
    assert parse_condition("applicant.age < 6") is expr
    with pytest.raises(AttributeError):
        expr.op = ">"  # type: ignore[misc]


def test_fields_lists_dotted_paths() -> None:
    text = "applicant.age < 16 or 'poor' in applicant.categories and not form.x in [dossier.y]"
    assert fields(text) == {"applicant.age", "applicant.categories", "form.x", "dossier.y"}
    assert fields("true") == set()


def test_evaluate_accepts_a_parsed_expression() -> None:
    assert evaluate(parse_condition("applicant.age < 6"), CHILD) is True
