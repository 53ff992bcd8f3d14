"""A small, safe expression language for conditions in procedure definitions.

Conditions such as ``applicant.age < 6 or 'poor_household' in applicant.categories`` are written
by procedure designers and evaluated inside Temporal workflows, so this module never calls
``eval`` and has no I/O: it is a tokenizer, a recursive-descent parser to an immutable AST and a
pure evaluator.

Grammar (lowest precedence first)::

    expr       := or_expr
    or_expr    := and_expr ("or" and_expr)*
    and_expr   := not_expr ("and" not_expr)*
    not_expr   := "not" not_expr | comparison
    comparison := operand (("==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "not" "in") operand)?
    operand    := NUMBER | STRING | "true" | "false" | "null" | path | list | "(" expr ")"
    path       := NAME ("." NAME)*
    list       := "[" (operand ("," operand)*)? ","? "]"
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

__all__ = [
    "BinOp",
    "Compare",
    "Expr",
    "Field",
    "ListLit",
    "Literal",
    "Not",
    "evaluate",
    "fields",
    "parse_condition",
]


@dataclass(frozen=True, slots=True)
class Literal:
    """A constant: number, string, boolean or null."""

    value: int | float | str | bool | None


@dataclass(frozen=True, slots=True)
class Field:
    """A dotted path into the context, e.g. ``applicant.age``."""

    path: tuple[str, ...]

    @property
    def dotted(self) -> str:
        return ".".join(self.path)


@dataclass(frozen=True, slots=True)
class ListLit:
    """A list literal ``[a, b, c]``."""

    items: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Not:
    operand: Expr


@dataclass(frozen=True, slots=True)
class BinOp:
    """A boolean connective: ``and`` or ``or``."""

    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True, slots=True)
class Compare:
    """A comparison: ``== != < <= > >= in`` or ``not in``."""

    op: str
    left: Expr
    right: Expr


Expr = Literal | Field | ListLit | Not | BinOp | Compare

_KEYWORDS = {"and", "or", "not", "in", "true", "false", "null"}

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<number>\d+(?:\.\d+)?)
  | (?P<string>'[^'\\]*'|"[^"\\]*")
  | (?P<name>[A-Za-z][A-Za-z0-9_]*)
  | (?P<op>==|!=|<=|>=|<|>)
  | (?P<punct>[()\[\],.])
    """,
    re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # number | string | name | keyword | op | punct | end
    text: str
    column: int  # 1-based, for error messages


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            char = text[pos]
            if char in "'\"":
                raise ValueError(f"unterminated string at column {pos + 1}")
            raise ValueError(f"unexpected {char!r} at column {pos + 1}")
        kind = match.lastgroup
        assert kind is not None
        if kind != "ws":
            value = match.group()
            if kind == "name" and value in _KEYWORDS:
                kind = "keyword"
            tokens.append(_Token(kind, value, pos + 1))
        pos = match.end()
    tokens.append(_Token("end", "", len(text) + 1))
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self._tokens = _tokenize(text)
        self._pos = 0

    def _peek(self, offset: int = 0) -> _Token:
        return self._tokens[min(self._pos + offset, len(self._tokens) - 1)]

    def _next(self) -> _Token:
        token = self._peek()
        self._pos += 1
        return token

    def _at(self, kind: str, text: str | None = None) -> bool:
        token = self._peek()
        return token.kind == kind and (text is None or token.text == text)

    def _expect(self, kind: str, text: str) -> None:
        if not self._at(kind, text):
            self._fail(f"expected {text!r}")
        self._next()

    def _fail(self, expected: str | None = None) -> None:
        token = self._peek()
        found = "end of condition" if token.kind == "end" else repr(token.text)
        message = f"unexpected {found} at column {token.column}"
        raise ValueError(f"{message}, {expected}" if expected else message)

    def parse(self) -> Expr:
        if self._at("end"):
            raise ValueError("empty condition at column 1")
        expr = self._or()
        if not self._at("end"):
            self._fail()
        return expr

    def _or(self) -> Expr:
        left = self._and()
        while self._at("keyword", "or"):
            self._next()
            left = BinOp("or", left, self._and())
        return left

    def _and(self) -> Expr:
        left = self._not()
        while self._at("keyword", "and"):
            self._next()
            left = BinOp("and", left, self._not())
        return left

    def _not(self) -> Expr:
        if self._at("keyword", "not"):
            self._next()
            return Not(self._not())
        return self._comparison()

    def _comparison(self) -> Expr:
        left = self._operand()
        token = self._peek()
        if token.kind == "op":
            self._next()
            return Compare(token.text, left, self._operand())
        if token.kind == "keyword" and token.text == "in":
            self._next()
            return Compare("in", left, self._operand())
        if token.kind == "keyword" and token.text == "not" and self._peek(1).text == "in":
            self._pos += 2
            return Compare("not in", left, self._operand())
        return left

    def _operand(self) -> Expr:
        token = self._peek()
        if token.kind == "number":
            self._next()
            return Literal(float(token.text) if "." in token.text else int(token.text))
        if token.kind == "string":
            self._next()
            return Literal(token.text[1:-1])
        if token.kind == "keyword" and token.text in ("true", "false", "null"):
            self._next()
            return Literal({"true": True, "false": False, "null": None}[token.text])
        if token.kind == "name":
            return self._path()
        if self._at("punct", "["):
            return self._list()
        if self._at("punct", "("):
            self._next()
            inner = self._or()
            self._expect("punct", ")")
            return inner
        self._fail("expected a value or a field")
        raise AssertionError("unreachable")

    def _path(self) -> Field:
        parts = [self._next().text]
        while self._at("punct", "."):
            self._next()
            if not self._at("name"):
                self._fail("expected a field name after '.'")
            parts.append(self._next().text)
        if self._at("punct", "("):
            # Calls are not part of the language; say so rather than a generic message.
            token = self._peek()
            raise ValueError(f"function calls are not allowed at column {token.column}")
        return Field(tuple(parts))

    def _list(self) -> ListLit:
        self._next()  # "["
        items: list[Expr] = []
        while not self._at("punct", "]"):
            items.append(self._operand())
            if self._at("punct", ","):
                self._next()
            elif not self._at("punct", "]"):
                self._fail("expected ',' or ']'")
        self._next()  # "]"
        return ListLit(tuple(items))


@lru_cache(maxsize=1024)
def parse_condition(text: str) -> Expr:
    """Parse a condition into an immutable AST.

    Args:
        text: The condition, e.g. ``"applicant.age < 6"``.

    Returns:
        The parsed expression (frozen dataclasses, safe to cache and share).

    Raises:
        ValueError: The text is not a valid condition; the message names the column.
    """
    return _Parser(text).parse()


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
