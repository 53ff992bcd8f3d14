"""The FastAPI application: routers, readable JSON errors, ``/metrics`` and ``/docs``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from prometheus_client import make_asgi_app

from motcua.api._agency_events import router as agency_events_router
from motcua.api._callbacks import router as callbacks_router
from motcua.api._context import ApiContext
from motcua.api._documents import router as documents_router
from motcua.api._dossiers import router as dossiers_router
from motcua.api._errors import install_error_handlers
from motcua.api._headers import SecurityHeaders
from motcua.api._inbox import router as inbox_router
from motcua.api._kpis import router as kpis_router
from motcua.api._limits import BodySizeLimit, RateLimit, TokenBuckets
from motcua.api._procedures import router as procedures_router
from motcua.api._webhooks import router as webhooks_router
from motcua.engine import connect
from motcua.observability import _metrics  # noqa: F401  (registers the motcua_* metrics)

DESCRIPTION = """Full-process online public services.

Portals file and track citizens' dossiers, officers work their inbox, agency systems report
events. Every call but the payment callback needs a bearer token (`motcua tokens issue`).
Errors are JSON: `{"code", "message", "details"}`."""


def create_app(context: ApiContext) -> FastAPI:
    """The API over ``context``; connects to Temporal at start-up unless given a client."""

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if context.client is None:
            context.client = await connect(context.settings)
        yield

    app = FastAPI(title="motcua", version="1", description=DESCRIPTION, lifespan=lifespan)
    app.state.context = context
    install_error_handlers(app)
    for router in (
        procedures_router,
        dossiers_router,
        documents_router,
        inbox_router,
        callbacks_router,
        agency_events_router,
        webhooks_router,
        kpis_router,
    ):
        app.include_router(router, prefix="/v1")
    app.mount("/metrics", make_asgi_app())
    # The last added runs first: headers on every answer, then the rate, then the body size.
    settings = context.settings
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    buckets = TokenBuckets(settings.rate_limit_per_minute, settings.rate_limit_burst)
    app.add_middleware(RateLimit, buckets=buckets)
    app.add_middleware(SecurityHeaders, production=settings.environment == "production")
    return app
