"""A small, safe expression language for conditions in procedure definitions.

Conditions such as ``applicant.age < 6 or 'poor_household' in applicant.categories`` are written
by procedure designers and evaluated inside Temporal workflows, so this module never calls
``eval`` and has no I/O: it is a tokenizer and a recursive-descent parser to an immutable AST;
:mod:`motcua.definitions._evaluate` is its pure evaluator.

Grammar (lowest precedence first)::

    expr       := or_expr
    or_expr    := and_expr ("or" and_expr)*
    and_expr   := not_expr ("and" not_expr)*
    not_expr   := "not" not_expr | comparison
    comparison := operand (("==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "not" "in") operand)?
    operand    := NUMBER | STRING | "true" | "false" | "null" | path | list | "(" expr ")"
    path       := NAME ("." NAME)*
    list       := "[" (operand ("," operand)*)? ","? "]"

A condition is at most ``MAX_CONDITION_LENGTH`` characters and nests parentheses, lists and
``not`` at most ``MAX_CONDITION_NESTING`` deep: the parser and evaluator recurse, and a
definition must not be able to exhaust the stack of the CLI, the API or a workflow.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "MAX_CONDITION_LENGTH",
    "MAX_CONDITION_NESTING",
    "BinOp",
    "Compare",
    "Expr",
    "Field",
    "ListLit",
    "Literal",
    "Not",
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

MAX_CONDITION_LENGTH = 1000
MAX_CONDITION_NESTING = 32

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
        if len(text) > MAX_CONDITION_LENGTH:
            raise ValueError(
                f"the condition is {len(text)} characters long, at most {MAX_CONDITION_LENGTH}"
            )
        self._tokens = _tokenize(text)
        self._pos = 0
        self._depth = 0

    def _enter(self) -> None:
        """Count one more open parenthesis, list or ``not``; refuse past the nesting cap."""
        self._depth += 1
        if self._depth > MAX_CONDITION_NESTING:
            column = self._peek().column
            raise ValueError(
                f"the condition nests deeper than {MAX_CONDITION_NESTING} levels at column {column}"
            )

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
            self._enter()
            self._next()
            negated = Not(self._not())
            self._depth -= 1
            return negated
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
            self._enter()
            self._next()
            inner = self._or()
            self._expect("punct", ")")
            self._depth -= 1
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
        self._enter()
        self._next()  # "["
        items: list[Expr] = []
        while not self._at("punct", "]"):
            items.append(self._operand())
            if self._at("punct", ","):
                self._next()
            elif not self._at("punct", "]"):
                self._fail("expected ',' or ']'")
        self._next()  # "]"
        self._depth -= 1
        return ListLit(tuple(items))


@lru_cache(maxsize=1024)
def parse_condition(text: str) -> Expr:
    """Parse a condition into an immutable AST.

    Args:
        text: The condition, e.g. ``"applicant.age < 6"``.

    Returns:
        The parsed expression (frozen dataclasses, safe to cache and share).

    Raises:
        ValueError: The text is not a valid condition, longer than ``MAX_CONDITION_LENGTH``
            or nested deeper than ``MAX_CONDITION_NESTING``; the message names the column.
    """
    return _Parser(text).parse()
