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


@functools.cache
def _forwarding_runtime() -> Runtime:
    logging_config = LoggingConfig(
        filter=TelemetryFilter(core_level="WARN", other_level="ERROR"),
        forwarding=LogForwardingConfig(logger=logging.getLogger(CORE_LOGGER)),
    )
    return Runtime(telemetry=TelemetryConfig(logging=logging_config))


def forward_core_logs() -> None:
    """Make the default Temporal runtime forward its core's logs to ``temporalio.core``. Clients
    connected afterwards use it, so entry points call this (through ``configure_logging``)
    before they connect; one runtime serves the whole process however often it is called."""
    Runtime.set_default(_forwarding_runtime(), error_if_already_set=False)
