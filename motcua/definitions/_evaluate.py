"""The evaluator of the condition language (:mod:`motcua.definitions._expr`): pure, no I/O.

It runs inside Temporal workflows, so it only reads nested mappings and never touches
attributes of Python objects.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from motcua.definitions._expr import (
    BinOp,
    Compare,
    Expr,
    Field,
    ListLit,
    Literal,
    Not,
    parse_condition,
)

__all__ = ["evaluate", "fields"]


def _lookup(context: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = context
    for part in path:
        if isinstance(value, Mapping):
            value = value.get(part)
        else:
            # Only mappings are traversed: reading attributes of objects could reach
            # arbitrary Python (``__class__`` and friends), so anything else is missing.
            return None
        if value is None:
            return None
    return value


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _compare(op: str, left: Any, right: Any) -> bool:
    if op == "==":
        return bool(left == right)
    if op == "!=":
        return bool(left != right)
    if op in ("in", "not in"):
        if not isinstance(right, list | tuple | set | frozenset | str) or left is None:
            return op == "not in" and right is not None
        found = left in right if not isinstance(right, str) or isinstance(left, str) else False
        return found if op == "in" else not found
    # Ordering: only like with like (numbers or strings); None or mixed types are simply False,
    # so a missing field never makes a condition true by accident.
    comparable = (_is_number(left) and _is_number(right)) or (
        isinstance(left, str) and isinstance(right, str)
    )
    if not comparable:
        return False
    if op == "<":
        return bool(left < right)
    if op == "<=":
        return bool(left <= right)
    if op == ">":
        return bool(left > right)
    return bool(left >= right)


def _eval(expr: Expr, context: Mapping[str, Any]) -> Any:
    if isinstance(expr, Literal):
        return expr.value
    if isinstance(expr, Field):
        return _lookup(context, expr.path)
    if isinstance(expr, ListLit):
        return [_eval(item, context) for item in expr.items]
    if isinstance(expr, Not):
        return not _eval(expr.operand, context)
    if isinstance(expr, BinOp):
        left = bool(_eval(expr.left, context))
        if expr.op == "and":
            return left and bool(_eval(expr.right, context))
        return left or bool(_eval(expr.right, context))
    return _compare(expr.op, _eval(expr.left, context), _eval(expr.right, context))


def evaluate(condition: str | Expr, context: Mapping[str, Any]) -> bool:
    """Evaluate a condition against a dossier context.

    Args:
        condition: Condition text or an already parsed expression.
        context: Nested mappings, e.g. ``{"applicant": {"age": 4}, "form": {...}}``.

    Returns:
        The truth value. A missing field is null; ordering comparisons with null (or between
        values of different types) are false, ``==``/``!=`` compare normally.

    Raises:
        ValueError: ``condition`` is text that does not parse.
    """
    expr = parse_condition(condition) if isinstance(condition, str) else condition
    return bool(_eval(expr, context))


def _walk(expr: Expr) -> Iterator[Expr]:
    yield expr
    if isinstance(expr, Not):
        yield from _walk(expr.operand)
    elif isinstance(expr, BinOp | Compare):
        yield from _walk(expr.left)
        yield from _walk(expr.right)
    elif isinstance(expr, ListLit):
        for item in expr.items:
            yield from _walk(item)


def fields(condition: str | Expr) -> set[str]:
    """List the dotted field paths a condition reads.

    Args:
        condition: Condition text or an already parsed expression.

    Returns:
        The set of dotted paths, e.g. ``{"applicant.age", "applicant.categories"}``.
    """
    expr = parse_condition(condition) if isinstance(condition, str) else condition
    return {node.dotted for node in _walk(expr) if isinstance(node, Field)}
