"""Serving the API inside an asyncio program (``motcua up``, the tests), on the caller's loop,
so it can share the caller's Temporal client."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager

import uvicorn
from fastapi import FastAPI
from sqlalchemy import Engine
from temporalio.client import Client

from motcua.api._context import ApiContext
from motcua.api._files import FileStore
from motcua.definitions import Catalog, load_catalog
from motcua.observability import route_uvicorn_logs
from motcua.settings import Settings
from motcua.store import make_engine, session_factory


def build_context(
    settings: Settings,
    *,
    engine: Engine | None = None,
    catalog: Catalog | None = None,
    client: Client | None = None,
) -> ApiContext:
    """The API's context from settings (the database, procedures and files they name); without
    a ``client``, the Temporal client is connected at start-up."""
    engine = engine or make_engine(settings.database_url)
    return ApiContext(
        settings=settings,
        catalog=catalog or load_catalog(settings.procedures_dir),
        reads=session_factory(engine, read_only=True),
        writes=session_factory(engine),
        files=FileStore(settings.files_dir),
        client=client,
    )


class _GuestServer(uvicorn.Server):
    """A server that leaves Ctrl-C to its host program, which stops it with the rest."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


@asynccontextmanager
async def serving_api(
    app: FastAPI, *, host: str = "127.0.0.1", port: int = 0
) -> AsyncIterator[str]:
    """Serve ``app`` on this event loop until the block ends; yields the base URL."""
    # No logging set-up of uvicorn's own: its records go to the process's redacting handler,
    # its access lines without query strings (motcua.observability.route_uvicorn_logs).
    route_uvicorn_logs()
    config = uvicorn.Config(
        app, host=host, port=port, log_config=None, log_level=None, lifespan="on"
    )
    server = _GuestServer(config)
    task = asyncio.create_task(server.serve())
    try:
        while not server.started:
            if task.done():
                task.result()  # raises what stopped it
                raise RuntimeError(f"the API could not listen on {host}:{port}")
            await asyncio.sleep(0.02)
        bound = server.servers[0].sockets[0].getsockname()
        yield f"http://{bound[0]}:{bound[1]}"
    finally:
        server.should_exit = True
        await task
