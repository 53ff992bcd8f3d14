"""Logging with personal data redacted, and the Prometheus metrics of the engine."""

from motcua.observability import _metrics as metrics
from motcua.observability._collector import ReadModelCollector
from motcua.observability._logging import configure_logging
from motcua.observability._metrics import observe_events
from motcua.observability._redact import redact_text

__all__ = ["ReadModelCollector", "configure_logging", "metrics", "observe_events", "redact_text"]
