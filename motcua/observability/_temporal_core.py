"""The Temporal SDK's core logs, through the process's redacting handler.

The SDK's core (Rust) writes its own warnings and errors straight to stderr, past any Python
handler; a failure message it repeats would leave unredacted. The default runtime is replaced by
one that forwards them to the ``temporalio.core`` logger, at the levels the SDK's default uses.
"""

from __future__ import annotations

import functools
import logging

from temporalio.runtime import (
    LogForwardingConfig,
    LoggingConfig,
    Runtime,
    TelemetryConfig,
    TelemetryFilter,
)

CORE_LOGGER = "temporalio.core"


class _WithoutCoreEntry(logging.Filter):
    """Drops the SDK's ``temporal_log`` attribute: its fields are in the message already, and as
    an extra it would render as an object's address."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.__dict__.pop("temporal_log", None)
        return True


@functools.cache
def _forwarding_runtime() -> Runtime:
    core = logging.getLogger(CORE_LOGGER)
    core.addFilter(_WithoutCoreEntry())
    logging_config = LoggingConfig(
        filter=TelemetryFilter(core_level="WARN", other_level="ERROR"),
        # One logger (the target is in the message), so its filter sees every record.
        forwarding=LogForwardingConfig(logger=core, append_target_to_name=False),
    )
    return Runtime(telemetry=TelemetryConfig(logging=logging_config))


def forward_core_logs() -> None:
    """Make the default Temporal runtime forward its core's logs to ``temporalio.core``. Clients
    connected afterwards use it, so entry points call this (through ``configure_logging``)
    before they connect; one runtime serves the whole process however often it is called."""
    Runtime.set_default(_forwarding_runtime(), error_if_already_set=False)
