"""One handler per step kind; the interpreter dispatches each step of the definition here."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from workflows.steps.consult import consult
from workflows.steps.payment import payment
from workflows.steps.receipt import receipt
from workflows.steps.result import result
from workflows.steps.review import review
from workflows.steps.verify import verify

HANDLERS: dict[str, Callable[[Any, Any], Awaitable[None]]] = {
    "receipt": receipt,
    "verify": verify,
    "payment": payment,
    "review": review,
    "approval": review,
    "consult": consult,
    "result": result,
}

__all__ = ["HANDLERS"]
