"""Abuse limits in front of every route: request body size and request rate.

Both are plain ASGI middleware, so a refused request never reaches FastAPI's parsing: a body
over ``MOTCUA_MAX_BODY_BYTES`` is answered 413 before it is read past the limit, and a client
past its rate is answered 429 with ``Retry-After`` before its body is read at all.

The rate limiter is a token bucket per key, held in this process: with several API processes
each keeps its own buckets (a client gets up to N times the rate), so a deployment with more
than one API process puts a shared limiter (the reverse proxy's, or one on Redis) in front.
"""

from __future__ import annotations

import hashlib
import json
import math
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Uploads stream through their own bounded parser (``MOTCUA_UPLOAD_MAX_BYTES``).
UPLOAD_PATH = "/v1/documents"
# Public and citizen routes: the catalogue and API documents anyone may read, the dossiers,
# submissions and documents of signed-in citizens. Officers' and agency systems' routes are
# left to their own organisations' controls.
RATE_LIMITED_PREFIXES = (
    "/v1/procedures",
    "/v1/dossiers",
    "/v1/submissions",
    "/v1/documents",
    "/docs",
    "/redoc",
    "/openapi.json",
)


async def send_error(
    send: Send, status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> None:
    """A JSON error in the API's usual form, ``{"code", "message", "details"}``."""
    body = json.dumps({"code": code, "message": message, "details": {}}).encode()
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return bytes(value)
    return None


class BodySizeLimit:
    """Refuses request bodies over ``max_bytes`` with 413; uploads have their own limit.

    The body is read (at most ``max_bytes``) before the route runs and handed to it unchanged:
    JSON routes read whole bodies anyway, and a lying or absent ``Content-Length`` (chunked
    transfer) is caught as the bytes arrive.
    """

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] == UPLOAD_PATH:
            await self.app(scope, receive, send)
            return
        declared = _header(scope, b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._too_large(send)
            return
        messages: list[Message] = []
        size = 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break  # the client went away; the route sees the disconnect
            size += len(message.get("body", b""))
            if size > self.max_bytes:
                await self._too_large(send)
                return
            if not message.get("more_body", False):
                break

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)

    async def _too_large(self, send: Send) -> None:
        await send_error(
            send,
            413,
            "too_large",
            f"the request body is larger than {self.max_bytes} bytes",
        )


@dataclass
class TokenBuckets:
    """A token bucket per key: ``burst`` requests at once, refilled at ``per_minute``.

    At most ``max_keys`` buckets are kept; the least recently used go first (a forgotten
    client starts again with a full bucket, which only errs on the generous side).
    """

    per_minute: float
    burst: int
    clock: Callable[[], float] = time.monotonic
    max_keys: int = 100_000
    _buckets: OrderedDict[str, tuple[float, float]] = field(default_factory=OrderedDict)

    def take(self, key: str) -> float:
        """Take one token for ``key``: 0 when allowed, else the seconds until one is back."""
        now = self.clock()
        rate = self.per_minute / 60.0
        tokens, then = self._buckets.pop(key, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - then) * rate)
        wait = 0.0
        if tokens >= 1.0:
            tokens -= 1.0
        else:
            wait = (1.0 - tokens) / rate
        self._buckets[key] = (tokens, now)
        if len(self._buckets) > self.max_keys:
            self._buckets.popitem(last=False)
        return wait


class RateLimit:
    """429 with ``Retry-After`` for a client past its rate on the public and citizen routes.

    The key is the bearer token when one is sent (each signed-in citizen has their own bucket,
    and citizens behind one carrier-grade NAT do not share one), else the client's IP address
    as the server sees it (behind a reverse proxy, run uvicorn with ``--proxy-headers`` and
    ``--forwarded-allow-ips`` so that it is the citizen's, not the proxy's).
    """

    def __init__(self, app: ASGIApp, *, buckets: TokenBuckets) -> None:
        self.app, self.buckets = app, buckets

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        limited = scope["type"] == "http" and self.buckets.per_minute > 0
        if not limited or not scope["path"].startswith(RATE_LIMITED_PREFIXES):
            await self.app(scope, receive, send)
            return
        wait = self.buckets.take(self._key(scope))
        if wait > 0:
            seconds = max(1, math.ceil(wait))
            await send_error(
                send,
                429,
                "rate_limited",
                f"too many requests: try again in {seconds} seconds",
                {"Retry-After": str(seconds)},
            )
            return
        await self.app(scope, receive, send)

    @staticmethod
    def _key(scope: Scope) -> str:
        authorization = _header(scope, b"authorization")
        if authorization:
            # A digest, so the buckets never hold a usable token.
            return "token:" + hashlib.sha256(authorization).hexdigest()[:32]
        client = scope.get("client")
        return f"ip:{client[0] if client else 'unknown'}"
