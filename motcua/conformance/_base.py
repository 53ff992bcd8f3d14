"""The pieces every contract module is written with: a check, its context, and the helpers that
turn what an adapter did into a one-line verdict."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from pydantic import BaseModel

from adapters.errors import AdapterError
from motcua.conformance._report import Category

CheckFn = Callable[["Context"], Awaitable[str]]
Probe = Callable[[Any, str], Awaitable[object]]


class Failed(Exception):
    """The adapter broke the contract; the message is the report's detail line."""


class Skipped(Exception):
    """The check cannot run here (e.g. the backend has no sandbox route); says why."""


@dataclass(frozen=True)
class Sandbox:
    """The backend itself, bypassing the adapter, for routes a sandbox offers beyond the protocol
    (e.g. the payment simulator's ``pay`` route that completes a payment)."""

    url: str
    headers: dict[str, str] = field(default_factory=dict)

    async def post(self, path: str, body: Any = None) -> httpx.Response:
        """``POST`` to the backend; transport errors propagate."""
        async with httpx.AsyncClient(base_url=self.url, headers=self.headers, timeout=5) as http:
            return await http.post(path, json=body)


@dataclass
class Context:
    """What a check works with.

    Attributes:
        adapter: The adapter under test, built from the plugin.
        run_id: Unique per kit run, so a persistent sandbox never sees a reference twice.
        sandbox: The backend, when the kit knows where it is (not for in-process adapters).
    """

    adapter: Any
    run_id: str
    sandbox: Sandbox | None = None

    def ref(self, name: str) -> str:
        """A reference unique to this run and check, e.g. ``kit-1a2b3c4d-create``."""
        return f"kit-{self.run_id}-{name}"


@dataclass(frozen=True)
class Check:
    """One contract check: ``run`` returns the detail line of a pass, raises :class:`Failed` or
    :class:`Skipped`; any other exception is reported as a failure."""

    id: str
    category: Category
    description: str
    run: CheckFn


class Contract:
    """The checks of one adapter kind, collected with the :meth:`check` decorator, and the
    :meth:`probe` call the fault checks make through the failing proxy."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.checks: list[Check] = []
        self._probe: Probe | None = None

    def check(self, id: str, category: Category, description: str) -> Callable[[CheckFn], CheckFn]:
        """Register the decorated coroutine as check ``<kind>.<id>``."""

        def register(fn: CheckFn) -> CheckFn:
            self.checks.append(Check(f"{self.kind}.{id}", category, description, fn))
            return fn

        return register

    def probe(self, fn: Probe) -> Probe:
        """Register the call the fault checks make; it gets the adapter and a unique tag."""
        self._probe = fn
        return fn

    @property
    def fault_probe(self) -> Probe:
        """The registered probe (every contract module registers one)."""
        if self._probe is None:
            raise RuntimeError(f"the {self.kind} contract has no fault probe")
        return self._probe


def short(value: object, limit: int = 200) -> str:
    """``value`` on one line, cut to ``limit`` characters."""
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe(exc: BaseException) -> str:
    """``Type: message`` on one line."""
    return short(f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__)


def expect(condition: bool, expected: str, got: object) -> None:
    """Fail with ``expected …; got …`` unless ``condition`` holds."""
    if not condition:
        raise Failed(f"expected {expected}; got {short(got)}")


def same(first: object, second: object, what: str) -> str:
    """Pass detail when both answers are equal; otherwise fail naming what differs."""
    if first == second:
        return f"same {what}: {short(first, 100)}"
    if isinstance(first, BaseModel) and isinstance(second, BaseModel):
        # Whole models are long; the fields that differ are what the integrator must fix.
        a, b = first.model_dump(), second.model_dump()
        changed = [f"{key} {a[key]!r} then {b.get(key)!r}" for key in a if a[key] != b.get(key)]
        raise Failed(f"expected the same {what} twice; got {'; '.join(changed)}")
    raise Failed(f"expected the same {what} twice; got {short(first, 80)} then {short(second, 80)}")


async def expect_error(call: Awaitable[object], error: type[AdapterError]) -> str:
    """Await ``call``; pass if it raised ``error``, fail on an answer or any other exception."""
    try:
        answer = await call
    except error as exc:
        return f"{error.__name__} as expected ({short(exc, 180)})"
    except Exception as exc:
        raise Failed(f"expected {error.__name__}; got {describe(exc)}") from exc
    raise Failed(f"expected {error.__name__}; got an answer: {short(answer)}")
