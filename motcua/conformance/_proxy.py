"""A fault-injecting reverse proxy: the kit puts it between an HTTP adapter and its backend and
switches its mode to see how the adapter reports each kind of failure."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from contextlib import contextmanager
from typing import Any, Literal

import httpx

Mode = Literal["pass", "slow", "failing", "unauthorised", "no-route", "garbage", "wrong-shape"]
Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

# Hop-by-hop or recomputed headers: httpx decodes the body, so its length and encoding change.
_DROPPED = {"host", "content-length", "transfer-encoding", "connection", "content-encoding"}


class FaultProxy:
    """An ASGI app forwarding every request to ``backend`` unless :attr:`mode` says otherwise.

    Modes: ``pass`` forwards; ``slow`` holds the request ``slow_seconds`` (or until the client
    gives up) before forwarding; ``failing`` answers 503; ``unauthorised`` answers 401;
    ``no-route`` answers 404 as a server without that route would (a wrong ``base_url``);
    ``garbage`` answers 200 with an HTML page; ``wrong-shape`` answers 200 with JSON of no
    protocol's shape. The kit sets :attr:`mode` from its own thread; one attribute assignment
    is atomic, so no lock is needed.
    """

    def __init__(self, backend: str, *, slow_seconds: float) -> None:
        self.backend = backend.rstrip("/")
        self.slow_seconds = slow_seconds
        self.mode: Mode = "pass"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        body = await _read_body(receive)
        mode = self.mode
        if mode == "slow" and await _disconnected_within(receive, self.slow_seconds):
            return  # the adapter gave up, as it should: nothing to forward
        if mode == "failing":
            await _json(send, 503, _problem("outage", "backend unavailable (injected by the kit)"))
        elif mode == "unauthorised":
            await _json(send, 401, _problem("unauthorized", "bad token (injected by the kit)"))
        elif mode == "no-route":
            await _json(send, 404, {"detail": "Not Found"})  # Starlette's, not the protocol's
        elif mode == "garbage":
            page = b"<html><body>Bad Gateway... or is it?</body></html>"
            await _answer(send, 200, page, b"text/html; charset=utf-8")
        elif mode == "wrong-shape":
            await _json(send, 200, {"unexpected": "shape", "items": [1, 2, 3]})
        else:
            await self._forward(scope, body, send)

    async def _forward(self, scope: Scope, body: bytes, send: Send) -> None:
        query = scope.get("query_string", b"")
        path = scope.get("raw_path") or scope["path"].encode()
        url = self.backend + path.decode("latin-1") + (f"?{query.decode()}" if query else "")
        headers = [
            (name.decode("latin-1"), value.decode("latin-1"))
            for name, value in scope["headers"]
            if name.decode("latin-1").lower() not in _DROPPED
        ]
        try:
            # One client per request: the proxy runs on the server thread's loop, and a shared
            # client would have to be created and closed there; a few dozen requests cost nothing.
            async with httpx.AsyncClient(timeout=30.0) as client:
                response = await client.request(scope["method"], url, headers=headers, content=body)
        except httpx.HTTPError as exc:
            message = f"the kit's proxy cannot reach {self.backend}: {type(exc).__name__}"
            await _json(send, 502, _problem("bad_gateway", message))
            return
        kept = [
            (name.encode("latin-1"), value.encode("latin-1"))
            for name, value in response.headers.multi_items()
            if name.lower() not in _DROPPED
        ]
        await _answer(send, response.status_code, response.content, headers=kept)


@contextmanager
def closed_port() -> Iterator[int]:
    """A loopback port nothing listens on, for the unreachable check: bound and held, never
    listening, until the block ends. Released at once, another process (a test running
    alongside) could take it before the check connects, and the check would reach that."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as held:
        held.bind(("127.0.0.1", 0))
        yield held.getsockname()[1]


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


async def _disconnected_within(receive: Receive, seconds: float) -> bool:
    """Wait up to ``seconds``; True as soon as the client hangs up (its timeout fired)."""

    async def hang_up() -> None:
        while (await receive())["type"] != "http.disconnect":
            pass

    try:
        await asyncio.wait_for(hang_up(), seconds)
    except TimeoutError:
        return False
    return True


def _problem(code: str, message: str) -> dict[str, Any]:
    return {"code": code, "message": message, "details": {}}


async def _json(send: Send, status: int, body: Any) -> None:
    await _answer(send, status, json.dumps(body).encode(), b"application/json")


async def _answer(
    send: Send,
    status: int,
    body: bytes,
    content_type: bytes | None = None,
    *,
    headers: list[tuple[bytes, bytes]] | None = None,
) -> None:
    out = list(headers or [])
    if content_type is not None:
        out.append((b"content-type", content_type))
    out.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": out})
    await send({"type": "http.response.body", "body": body})
