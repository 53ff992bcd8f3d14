"""Request metrics of the API and the console: count and latency by route template, in flight.

The route label is the matched route's template (``/v1/dossiers/{code}``), never the raw path, so
a dossier code or a personal ID cannot become a label and the series stay few. A request that
reached no route (an unknown path, or one answered by a middleware: rate limit, body size) is
labelled ``(none)``. The metrics are in ``motcua/observability/_metrics.py``; docs/metrics.md.
"""

from __future__ import annotations

import re
import time

from starlette.routing import BaseRoute, Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from motcua.observability._metrics import HTTP_IN_FLIGHT, HTTP_REQUEST_SECONDS, HTTP_REQUESTS

NO_ROUTE = "(none)"


class RequestMetrics:
    """ASGI middleware: counts and times every HTTP request by method, route and status."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500  # what the client gets if the application raises before answering
        started = time.perf_counter()

        async def send_with_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        HTTP_IN_FLIGHT.inc()
        try:
            await self.app(scope, receive, send_with_status)
        finally:
            HTTP_IN_FLIGHT.dec()
            method, route = _method(scope), route_template(scope)
            HTTP_REQUESTS.labels(method, route, str(status)).inc()
            HTTP_REQUEST_SECONDS.labels(method, route).observe(time.perf_counter() - started)


def route_template(scope: Scope) -> str:
    """The template of the route that answered, from what routing left in the (shared) scope.

    The router records the route it chose; a route included with a prefix (``/v1``) is recorded
    without it, so the prefix is the part of the path before the tail the route matches. A mount
    (the static files) records only the path it was mounted at.
    """
    route: BaseRoute | None = scope.get("route")
    path: str = scope.get("path", "")
    if isinstance(route, Mount):
        return route.path + "/{path}"
    template = getattr(route, "path", None)
    if isinstance(template, str):
        return _prefix(path, getattr(route, "path_regex", None)) + template
    mounted = str(scope.get("root_path", ""))[len(str(scope.get("app_root_path", ""))) :]
    if scope.get("endpoint") is not None and mounted:
        return mounted + "/{path}"  # the mount, not the file asked for
    return NO_ROUTE


def _prefix(path: str, pattern: re.Pattern[str] | None) -> str:
    if pattern is None:
        return ""
    for i, char in enumerate(path):
        if char == "/" and pattern.match(path[i:]):
            return path[:i]
    return ""


_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


def _method(scope: Scope) -> str:
    method = str(scope.get("method", ""))
    return method if method in _METHODS else "OTHER"  # a made-up method is no new series
