"""Adapter plugins: how an adapter package makes itself known to motcua.

A package registers one :class:`AdapterPlugin` per adapter under the ``motcua.adapters``
entry-point group, named ``<kind>.<plugin>``::

    [project.entry-points."motcua.adapters"]
    "consultation.court-records" = "motcua_court.plugin:plugin"

``adapters.yaml`` then chooses it per agency (``consultation: {plugin: court-records, ...}``) and
``motcua adapters check consultation.court-records`` runs the conformance kit against it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib.metadata import entry_points
from typing import Any, Literal, get_args

from pydantic import BaseModel

Kind = Literal["population", "payment", "delivery", "notification", "portal", "consultation"]
KINDS: tuple[Kind, ...] = get_args(Kind)
ENTRY_POINT_GROUP = "motcua.adapters"


@dataclass(frozen=True)
class AdapterPlugin:
    """One adapter implementation.

    Attributes:
        kind: The protocol it implements (``population``, ``payment``, ...).
        options: The pydantic model of its settings in ``adapters.yaml``. A ``base_url`` field
            marks an HTTP adapter: the conformance kit points it at a fault-injecting proxy.
        build: Makes an adapter from validated options.
        simulator: Optional factory of an ASGI app that plays the backend, for the conformance
            kit and for demos (the reference adapters return motcua's simulators).
        summary: One line for ``motcua adapters list``.
    """

    kind: Kind
    options: type[BaseModel]
    build: Callable[[Any], Any]
    simulator: Callable[[], Any] | None = None
    summary: str = ""

    def create(self, raw: Mapping[str, Any]) -> Any:
        """Validate ``raw`` options and build the adapter."""
        return self.build(self.options.model_validate(dict(raw)))


class UnknownAdapter(LookupError):
    """No plugin of that name is installed."""


@cache
def installed_plugins() -> dict[str, AdapterPlugin]:
    """Every plugin registered under ``motcua.adapters``, by ``<kind>.<plugin>`` name."""
    found: dict[str, AdapterPlugin] = {}
    for point in entry_points(group=ENTRY_POINT_GROUP):
        plugin = point.load()
        if not isinstance(plugin, AdapterPlugin):
            raise TypeError(f"entry point {point.name} ({point.value}) is not an AdapterPlugin")
        kind = point.name.partition(".")[0]
        if kind != plugin.kind:
            raise TypeError(f"entry point {point.name} registers a {plugin.kind} adapter")
        found[point.name] = plugin
    return found


def plugin(name: str) -> AdapterPlugin:
    """The plugin called ``<kind>.<plugin>``; :class:`UnknownAdapter` lists the installed ones."""
    plugins = installed_plugins()
    if name not in plugins:
        known = ", ".join(sorted(plugins)) or "none"
        raise UnknownAdapter(f"no adapter plugin {name!r} is installed; installed: {known}")
    return plugins[name]
