"""Logging with personal data redacted, and the Prometheus metrics of the engine."""

from motcua.observability import _metrics as metrics
from motcua.observability._access import route_uvicorn_logs
from motcua.observability._collector import ReadModelCollector
from motcua.observability._logging import configure_logging
from motcua.observability._metrics import observe_events
from motcua.observability._redact import REDACTED, redact_text, redact_value

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
