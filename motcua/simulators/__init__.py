"""HTTP simulators of the agency systems motcua talks to, for demos, tests and integrators.

Each module ``motcua.simulators.<name>`` exposes ``create_app(*, knobs, seed, token, **options)``
returning a FastAPI app that speaks the wire protocol documented in the matching ``adapters``
module. ``motcua sim NAME`` serves one; ``motcua up`` serves them all.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from typing import Any

from adapters import AdaptersConfig
from motcua.simulator_ports import DEFAULT_PORTS, KIND_OF
from motcua.simulators._app import Knobs, SimError, problem, simulator_app
from motcua.simulators._serve import serving


def ports_from(base: int) -> dict[str, int]:
    """Consecutive ports from ``base`` in :data:`KIND_OF` order; all free ports when 0."""
    return {name: base + i if base else 0 for i, name in enumerate(KIND_OF)}


def create_simulator(
    name: str,
    *,
    knobs: Knobs | None = None,
    seed: int = 0,
    token: str | None = None,
    **options: Any,
) -> Any:
    """The FastAPI app of simulator ``name`` (one of :data:`KIND_OF`)."""
    if name not in KIND_OF:
        raise ValueError(f"no simulator {name!r}; choose from {', '.join(KIND_OF)}")
    module = importlib.import_module(f"motcua.simulators.{name}")
    return module.create_app(knobs=knobs, seed=seed, token=token, **options)


def adapters_config(urls: Mapping[str, str]) -> AdaptersConfig:
    """The reference HTTP adapters of every kind, pointed at simulators served at ``urls``."""
    return AdaptersConfig.model_validate(
        {
            "defaults": {
                KIND_OF[name]: {"plugin": "http", "base_url": url} for name, url in urls.items()
            }
        }
    )


@contextmanager
def serving_all(
    *,
    host: str = "127.0.0.1",
    ports: Mapping[str, int] | None = None,
    options: Mapping[str, Mapping[str, Any]] | None = None,
    seed: int = 0,
) -> Iterator[dict[str, str]]:
    """Serve every simulator; yield their base URLs by simulator name.

    ``ports`` defaults to :data:`DEFAULT_PORTS`; pass ``0`` for a free port.
    """
    ports = DEFAULT_PORTS if ports is None else ports
    with ExitStack() as stack:
        urls = {
            name: stack.enter_context(
                serving(
                    create_simulator(name, seed=seed, **(options or {}).get(name, {})),
                    host=host,
                    port=ports.get(name, 0),
                )
            )
            for name in KIND_OF
        }
        yield urls


__all__ = [
    "DEFAULT_PORTS",
    "KIND_OF",
    "Knobs",
    "SimError",
    "adapters_config",
    "create_simulator",
    "ports_from",
    "problem",
    "serving",
    "serving_all",
    "simulator_app",
]
