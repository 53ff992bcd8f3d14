"""Logging with personal data redacted, and the Prometheus metrics of the engine.

Only the logging is imported with the package: every CLI command sets up logging first, and the
metrics and the read-model collector bring SQLAlchemy and the store with them (over a second on
a small machine). They are imported when first asked for (PEP 562).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from motcua.observability._access import route_uvicorn_logs
from motcua.observability._logging import configure_logging
from motcua.observability._redact import REDACTED, redact_text, redact_value

if TYPE_CHECKING:
    from motcua.observability import _metrics as metrics
    from motcua.observability._collector import ReadModelCollector
    from motcua.observability._metrics import observe_events

# name → (module, attribute; None for the module itself)
_LAZY: dict[str, tuple[str, str | None]] = {
    "metrics": ("motcua.observability._metrics", None),
    "observe_events": ("motcua.observability._metrics", "observe_events"),
    "ReadModelCollector": ("motcua.observability._collector", "ReadModelCollector"),
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module_name, attribute = _LAZY[name]
    module = importlib.import_module(module_name)
    return module if attribute is None else getattr(module, attribute)


__all__ = [
    "REDACTED",
    "ReadModelCollector",
    "configure_logging",
    "metrics",
    "observe_events",
    "redact_text",
    "redact_value",
    "route_uvicorn_logs",
]
