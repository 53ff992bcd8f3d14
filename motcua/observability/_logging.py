"""structlog set-up, once per process entry point; stdlib records share the same renderer."""

from __future__ import annotations

import logging
import sys
from typing import Literal, TextIO

import structlog

from motcua.observability._access import route_uvicorn_logs
from motcua.observability._redact import redact_processor
from motcua.observability._temporal_core import forward_core_logs

_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class _StderrHandler(logging.StreamHandler[TextIO]):
    """Writes to ``sys.stderr`` as it is at each record, not as it was at set-up: a test's
    capture or a CLI runner swaps it, and a stream kept from before would be closed."""

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _value: TextIO) -> None:
        pass


def configure_logging(
    *, fmt: Literal["auto", "console", "json"] = "auto", level: str = "INFO"
) -> None:
    """Console output in a terminal, JSON lines otherwise; personal data redacted in both.

    Every record goes through one handler on the root logger: structlog's, the stdlib's (the
    Temporal SDK's ``workflow.logger``/``activity.logger``), uvicorn's, whose own handlers are
    removed (see :func:`route_uvicorn_logs`), and the Temporal core's, forwarded by the default
    runtime (see :func:`forward_core_logs`: call this before connecting a client)."""
    if level.upper() not in _LEVELS:
        raise ValueError(f"unknown log level {level!r}: use one of {', '.join(_LEVELS)}")
    use_json = fmt == "json" or (fmt == "auto" and not sys.stderr.isatty())
    shared: list[structlog.typing.Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.format_exc_info,
        redact_processor,
    ]
    renderer: structlog.typing.Processor = (
        structlog.processors.JSONRenderer() if use_json else structlog.dev.ConsoleRenderer()
    )
    # The list is updated in place: loggers cached on first use hold it, and a second set-up in
    # one process (``motcua up`` after the CLI's, a test after another) must reach them too.
    processors = structlog.get_config()["processors"]
    processors[:] = [*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter]
    structlog.configure(
        processors=processors,
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    handler = _StderrHandler()
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=[structlog.stdlib.ExtraAdder(), *shared],
            processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    route_uvicorn_logs(level.upper())
    # Migrations run at the start of most commands: their steps are news only when debugging.
    debugging = root.level <= logging.DEBUG
    logging.getLogger("alembic").setLevel(root.level if debugging else logging.WARNING)
    forward_core_logs()
