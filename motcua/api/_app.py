"""The FastAPI application: routers, readable JSON errors, and ``/metrics`` and ``/docs`` as the
settings allow (to anyone, to operators, or not at all)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Literal

from fastapi import Depends, FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest

from motcua.api._agency_events import router as agency_events_router
from motcua.api._auth import operator, require_sign_in
from motcua.api._callbacks import router as callbacks_router
from motcua.api._context import ApiContext
from motcua.api._documents import router as documents_router
from motcua.api._dossiers import router as dossiers_router
from motcua.api._errors import install_error_handlers
from motcua.api._feedback import router as feedback_router
from motcua.api._headers import SecurityHeaders
from motcua.api._inbox import router as inbox_router
from motcua.api._kpis import router as kpis_router
from motcua.api._limits import BodySizeLimit, RateLimit, TokenBuckets
from motcua.api._procedures import router as procedures_router
from motcua.api._reengineering import router as reengineering_router
from motcua.api._request_metrics import RequestMetrics
from motcua.api._webhooks import router as webhooks_router
from motcua.engine import connect
from motcua.observability import _metrics  # noqa: F401  (registers the motcua_* metrics)

DESCRIPTION = """Full-process online public services.

Portals file and track citizens' dossiers, officers work their inbox, agency systems report
events. Every call but the payment callback needs a bearer token (`motcua tokens issue`).
Errors are JSON: `{"code", "message", "details"}`."""

# Settings.api_docs_access and api_metrics_access: to anyone, to operators only, or not served.
Access = Literal["public", "operator", "off"]


def create_app(context: ApiContext) -> FastAPI:
    """The API over ``context``; connects to Temporal at start-up unless given a client.

    Raises ``MissingSecret`` when no token could be checked (see ``require_sign_in``).
    """
    # Imported here: the console's pages use the API's models, so importing the console at
    # module level made ``import motcua.console`` (before ``motcua.api``) a circular import.
    from motcua.console import mount_console

    settings = context.settings
    require_sign_in(settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if context.client is None:
            context.client = await connect(context.settings)
        yield

    # /docs and /openapi.json are added below, as the settings allow.
    app = FastAPI(
        title="motcua",
        version="1",
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.state.context = context
    install_error_handlers(app)
    for router in (
        reengineering_router,
        procedures_router,
        dossiers_router,
        documents_router,
        inbox_router,
        callbacks_router,
        agency_events_router,
        webhooks_router,
        kpis_router,
        feedback_router,
    ):
        app.include_router(router, prefix="/v1")
    mount_console(app, settings)
    _add_docs(app, settings.api_docs_access)
    _add_metrics(app, settings.api_metrics_access)
    # The last added runs first: headers on every answer, then the rate, then the body size.
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    buckets = TokenBuckets(settings.rate_limit_per_minute, settings.rate_limit_burst)
    app.add_middleware(RateLimit, buckets=buckets)
    app.add_middleware(SecurityHeaders, production=settings.environment == "production")
    app.add_middleware(RequestMetrics)  # outermost: counts every answer, 429s and 413s too
    return app


def _guard(access: Access) -> list[Any]:
    return [Depends(operator)] if access == "operator" else []


def _add_docs(app: FastAPI, access: Access) -> None:
    if access == "off":
        return

    @app.get("/openapi.json", include_in_schema=False, dependencies=_guard(access))
    async def openapi() -> JSONResponse:
        return JSONResponse(app.openapi())

    @app.get("/docs", include_in_schema=False, dependencies=_guard(access))
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url="/openapi.json", title="motcua API")


def _add_metrics(app: FastAPI, access: Access) -> None:
    if access == "off":
        return

    @app.get("/metrics", include_in_schema=False, dependencies=_guard(access))
    async def metrics() -> Response:
        return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)
