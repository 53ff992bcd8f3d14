"""uvicorn's access and error logs, through the process's redacting handler.

uvicorn installs handlers of its own (``uvicorn.config.LOGGING_CONFIG``) that write past any
redaction, and its access line carries the full URL, query string included, where a portal puts
personal IDs (``?personal_id=…``). Servers are started with ``log_config=None`` so they keep out
of the logging set-up, and :func:`route_uvicorn_logs` sends their records to the root handler.
"""

from __future__ import annotations

import logging

UVICORN_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi")


class AccessLine(logging.Filter):
    """Turns uvicorn's access record into the event ``http.request`` with ``method``, ``path``
    (without its query string) and ``status`` as fields; the client's address is left out."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) == 5:  # client, method, path, http version, status
            _client, method, full_path, _version, status = args
            record.msg, record.args = "http.request", ()
            record.method = method
            record.path = str(full_path).split("?", 1)[0]
            record.status = status
        return True


def route_uvicorn_logs(level: int | str | None = None) -> None:
    """uvicorn's loggers without handlers of their own, propagating to the root handler (at
    ``level``, or the root's when None); access lines reduced to method, path and status.

    Called by :func:`~motcua.observability.configure_logging` and by every helper that starts a
    server with ``log_config=None``, so the filter is in place even in a process (a test) that
    set up no logging of its own."""
    for name in UVICORN_LOGGERS:
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
        logger.setLevel(logging.NOTSET if level is None else level)
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, AccessLine) for f in access.filters):
        access.addFilter(AccessLine())
