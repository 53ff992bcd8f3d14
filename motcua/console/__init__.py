"""The web console: server-rendered pages for officers, citizens, designers and operations,
served by the same application as the API (docs/console.md).

Every page works without JavaScript (forms, post-redirect-get); Vietnamese by default, English
on request. Each area is one module with its router, its templates under ``templates/<area>/`` and
its messages in ``messages/<area>.yaml``.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from motcua.console import (
    _board,
    _catalogue,
    _designer,
    _desk,
    _desk_actions,
    _home,
    _oidc_flow,
    _ops,
    _signin,
    _slips,
    _track,
)
from motcua.console._render import render
from motcua.console._session import CsrfRefused, SignInRequired, redirect_to_sign_in
from motcua.settings import LOOPBACK_HOSTS, Settings

__all__ = ["mount_console"]

SESSION_COOKIE = "motcua_session"
SESSION_HOURS = 10  # one working day and a bit: officers sign in each morning


def mount_console(app: FastAPI, settings: Settings) -> None:
    """Add the console's pages, its static files and its session cookie to ``app``."""
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.console_session_key(),
        session_cookie=SESSION_COOKIE,
        max_age=SESSION_HOURS * 3600,
        same_site="lax",
        # HttpOnly always (Starlette's default); Secure everywhere but a loopback development API.
        https_only=settings.api_host not in LOOPBACK_HOSTS,
    )
    app.add_exception_handler(SignInRequired, redirect_to_sign_in)
    app.add_exception_handler(CsrfRefused, _csrf_refused)
    static = Path(__file__).parent / "static"
    app.mount("/static", StaticFiles(directory=static), name="static")
    areas = (_home, _signin, _oidc_flow, _desk, _desk_actions, _designer, _ops)
    for module in (*areas, _catalogue, _slips, _track, _board):
        app.include_router(module.router, include_in_schema=False)


def _csrf_refused(request: Request, _: Exception) -> Response:
    return render(request, "error.html", 403, message_key="error.csrf")
