"""Security headers on every response of the API.

* ``X-Content-Type-Options: nosniff``, ``X-Frame-Options: DENY``, ``Referrer-Policy:
  no-referrer`` everywhere;
* ``Cache-Control: no-store`` on every ``/v1`` answer but the public procedure catalogue: they
  hold personal data (dossiers, documents, tasks) that no browser or proxy cache may keep;
* ``Strict-Transport-Security`` in production (the API is served over TLS there);
* a Content-Security-Policy: ``default-src 'none'`` for JSON; for ``/docs`` and ``/redoc`` one
  that allows their CDN scripts; for the console's pages, only this site's own styles, scripts,
  images and form targets. Of inline scripts, exactly the page's own are allowed (by SHA-256 hash,
  computed from the page as it is sent);
* ``Cache-Control: no-store`` on the console's pages too: the desk and tracking pages hold
  personal data.
"""

from __future__ import annotations

import base64
import hashlib
import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

PUBLIC_PREFIXES = ("/v1/procedures",)
HSTS = "max-age=63072000; includeSubDomains"
API_CSP = "default-src 'none'; frame-ancestors 'none'"
# FastAPI's Swagger UI and ReDoc pages load their code from jsDelivr and a favicon and logo
# from FastAPI's site; ReDoc runs a worker from a blob and its fonts from Google Fonts.
_HTML_CSP = (
    "default-src 'none'; "
    "script-src 'self' https://cdn.jsdelivr.net {hashes}; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com; "
    "font-src https://fonts.gstatic.com; "
    "img-src 'self' data: https://fastapi.tiangolo.com https://cdn.redoc.ly; "
    "connect-src 'self'; worker-src blob:; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)
# The console (motcua/console): everything from this site, nothing from elsewhere; forms post here.
_CONSOLE_CSP = (
    "default-src 'none'; script-src 'self' {hashes}; style-src 'self'; "
    "img-src 'self' data:; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
DOCS_PAGES = ("/docs", "/redoc")
_INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.DOTALL | re.I)


def html_csp(page: bytes, path: str = "/docs") -> str:
    """The policy for an HTML page: its inline scripts are allowed by hash, no others."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(script).digest()).decode() + "'"
        for script in _INLINE_SCRIPT.findall(page)
    )
    policy = _HTML_CSP if path.startswith(DOCS_PAGES) else _CONSOLE_CSP
    return policy.format(hashes=hashes).replace("  ", " ")


class SecurityHeaders:
    """Adds the headers above to every HTTP response."""

    def __init__(self, app: ASGIApp, *, production: bool) -> None:
        self.app, self.production = app, production

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        personal = path.startswith("/v1") and not path.startswith(PUBLIC_PREFIXES)
        start: Message | None = None
        page: list[bytes] = []

        async def send_with_headers(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                if _is_html(message.get("headers", [])):
                    start = message  # held until the page is complete: its CSP hashes it
                    return
                await send(self._with(message, API_CSP, personal))
                return
            if start is not None and message["type"] == "http.response.body":
                page.append(message.get("body", b""))
                if message.get("more_body", False):
                    return
                body = b"".join(page)
                # Console pages may show personal data: no cache keeps them either.
                console = not path.startswith(DOCS_PAGES)
                await send(self._with(start, html_csp(body, path), personal or console))
                await send({"type": "http.response.body", "body": body})
                return
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _with(self, start: Message, csp: str, personal: bool) -> Message:
        added = {
            b"x-content-type-options": b"nosniff",
            b"x-frame-options": b"DENY",
            b"referrer-policy": b"no-referrer",
            b"content-security-policy": csp.encode(),
        }
        if personal:
            added[b"cache-control"] = b"no-store"
        if self.production:
            added[b"strict-transport-security"] = HSTS.encode()
        kept = [(k, v) for k, v in start.get("headers", []) if k not in added]
        return {**start, "headers": kept + list(added.items())}


def _is_html(headers: list[tuple[bytes, bytes]]) -> bool:
    return any(k == b"content-type" and v.startswith(b"text/html") for k, v in headers)
