"""Serve a simulator (or any ASGI app) on loopback from a background thread.

The thread has its own event loop, so a test or the ``motcua up`` process keeps its own loop
free; the server stops when the ``with`` block ends.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn

from motcua.observability import route_uvicorn_logs


@contextmanager
def serving(app: Any, *, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Serve ``app`` and yield its base URL; ``port=0`` picks a free port."""
    route_uvicorn_logs()  # through the process's redacting handler, never uvicorn's own
    config = uvicorn.Config(
        app, host=host, port=port, log_config=None, log_level=None, lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"serve:{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError(f"server on {host}:{port} did not start (port in use?)")
        if time.monotonic() > deadline:
            raise TimeoutError(f"server on {host}:{port} did not start in 10 s")
        time.sleep(0.01)
    bound = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://{host}:{bound}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
