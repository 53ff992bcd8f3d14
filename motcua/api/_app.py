"""The FastAPI application: routers, readable JSON errors, ``/metrics`` and ``/docs``."""

from __future__ import annotations

from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from prometheus_client import make_asgi_app
from sqlalchemy.orm import Session, sessionmaker
from starlette.exceptions import HTTPException

from motcua.api._kpis import router as kpis_router
from motcua.definitions import Catalog
from motcua.observability import _metrics  # noqa: F401  (registers the motcua_* metrics)

log = structlog.get_logger("motcua.api")


def _error(status: int, code: str, message: str, details: Any = None) -> JSONResponse:
    return JSONResponse(
        {"code": code, "message": message, "details": details or {}}, status_code=status
    )


def create_app(*, catalog: Catalog, sessions: sessionmaker[Session]) -> FastAPI:
    """The API over the read model ``sessions`` and the procedure ``catalog``."""
    app = FastAPI(title="motcua", version="1", description="Full-process online public services")
    app.state.catalog, app.state.sessions = catalog, sessions
    app.include_router(kpis_router, prefix="/v1")
    app.mount("/metrics", make_asgi_app())

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        details = [
            {"field": ".".join(str(p) for p in e["loc"]), "message": e["msg"]} for e in exc.errors()
        ]
        return _error(422, "invalid_request", "the request is not valid", details)

    @app.exception_handler(HTTPException)
    async def http_error(_: Request, exc: HTTPException) -> JSONResponse:
        return _error(exc.status_code, "http_error", str(exc.detail))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        # Never a stack trace to a client; the log has it.
        log.error("api.unexpected_error", path=request.url.path, exc_info=exc)
        return _error(500, "internal_error", "the server could not answer; the error is logged")

    return app
