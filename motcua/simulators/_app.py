"""What every simulator shares: knobs for latency, failures and outages, readable errors.

The knobs are what an integrator turns to see how an adapter behaves when its backend is slow
or down: ``PUT /_sim/knobs`` changes them while the simulator runs (``/_sim`` and ``/health`` are
never slowed down or failed themselves).
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field


class Knobs(BaseModel):
    """How badly the simulated system behaves."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    latency_ms: float = Field(default=0, ge=0, description="Added to every answer")
    error_rate: float = Field(default=0, ge=0, le=1, description="Share of requests answered 503")
    outage: bool = Field(default=False, description="Answer every request with 503")


class KnobsUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    latency_ms: float | None = Field(default=None, ge=0)
    error_rate: float | None = Field(default=None, ge=0, le=1)
    outage: bool | None = None


class SimError(Exception):
    """Raised by a route; answered as ``{"code", "message", "details"}`` with ``status``."""

    def __init__(
        self, status: int, code: str, message: str, details: dict[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, details or {}


def problem(status: int, code: str, message: str, details: Any = None) -> JSONResponse:
    return JSONResponse(
        {"code": code, "message": message, "details": details or {}}, status_code=status
    )


def simulator_app(
    name: str,
    *,
    knobs: Knobs | None = None,
    seed: int = 0,
    token: str | None = None,
) -> FastAPI:
    """A FastAPI app with the shared knobs, admin routes and error format.

    Args:
        name: The simulated system, for the title and messages.
        knobs: Initial knobs; changed later with ``PUT /_sim/knobs``.
        seed: Seeds ``app.state.random``, so injected failures and generated data repeat.
        token: When set, every protocol request must carry ``Authorization: Bearer <token>``.
    """
    app = FastAPI(title=f"motcua {name} simulator", version="1")
    app.state.knobs = knobs or Knobs()
    app.state.random = random.Random(seed)
    app.state.seed = seed

    @app.middleware("http")
    async def misbehave(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        path = request.url.path
        if path.startswith("/_sim") or path in ("/health", "/docs", "/openapi.json"):
            return await call_next(request)
        current: Knobs = app.state.knobs
        if token is not None and request.headers.get("authorization") != f"Bearer {token}":
            return problem(401, "unauthorized", f"{name}: missing or wrong bearer token")
        if current.latency_ms:
            await asyncio.sleep(current.latency_ms / 1000)
        if current.outage:
            return problem(503, "outage", f"{name} is down (simulated outage)")
        if current.error_rate and app.state.random.random() < current.error_rate:
            return problem(503, "injected_failure", f"{name} failed (simulated error rate)")
        return await call_next(request)

    @app.exception_handler(SimError)
    async def sim_error(_: Request, exc: SimError) -> JSONResponse:
        return problem(exc.status, exc.code, exc.message, exc.details)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        details = [
            {"field": ".".join(str(p) for p in e["loc"]), "message": e["msg"]} for e in exc.errors()
        ]
        return problem(422, "invalid_request", f"{name}: the request is not valid", details)

    @app.get("/health", tags=["admin"])
    async def health() -> dict[str, str]:
        return {"status": "ok", "system": name}

    @app.get("/_sim/knobs", tags=["admin"])
    async def get_knobs() -> Knobs:
        knobs_now: Knobs = app.state.knobs
        return knobs_now

    @app.put("/_sim/knobs", tags=["admin"])
    async def set_knobs(update: KnobsUpdate) -> Knobs:
        knobs_now: Knobs = app.state.knobs
        for key, value in update.model_dump(exclude_none=True).items():
            setattr(knobs_now, key, value)
        return knobs_now

    return app
