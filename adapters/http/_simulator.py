"""The simulators behind the reference adapters, loaded only when the conformance kit or a demo
asks for one: a worker that calls a real agency system never imports them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def simulator(name: str) -> Callable[[], Any]:
    """A factory of motcua's simulator ``name`` (an ASGI app), imported on first use."""

    def create() -> Any:
        from motcua.simulators import create_simulator

        return create_simulator(name)

    return create
