"""The desk's actions: claim, release and decide a task, each a form POST with its CSRF token,
answered by a redirect to the dossier's page (post-redirect-get).

Each calls the JSON API's own route function, so a command reaches the engine by one path only;
a refusal (the API's check or the workflow's rule) is kept in the session for one page and
shown there, worded in the officer's language.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError

from motcua.api import _inbox
from motcua.api._context import ApiContext
from motcua.api._errors import ApiError
from motcua.api._officer_models import DecisionBody
from motcua.console._desk_views import refusal_key
from motcua.console._session import check_csrf, require_officer

router = APIRouter(dependencies=[Depends(check_csrf)])


def _back(code: str) -> RedirectResponse:
    return RedirectResponse(f"/desk/dossiers/{quote(code, safe='')}", status_code=303)


async def _act(request: Request, code: str, command: Awaitable[Any]) -> RedirectResponse:
    """Run ``command``; on a refusal keep its message for the dossier's page."""
    try:
        await command
    except ApiError as error:
        request.session["desk.refusal"] = {"key": refusal_key(error), "detail": error.message}
    return _back(code)


def _context(request: Request) -> ApiContext:
    ctx: ApiContext = request.app.state.context
    return ctx


@router.post("/desk/tasks/{task_id:path}/claim")
async def claim(
    request: Request, task_id: str, dossier: Annotated[str, Form()]
) -> RedirectResponse:
    return await _hold(request, task_id, dossier, _inbox.claim)


@router.post("/desk/tasks/{task_id:path}/release")
async def release(
    request: Request, task_id: str, dossier: Annotated[str, Form()]
) -> RedirectResponse:
    return await _hold(request, task_id, dossier, _inbox.release)


async def _hold(
    request: Request, task_id: str, dossier: str, command: Callable[..., Awaitable[Any]]
) -> RedirectResponse:
    """Claim or release: the API's route function of that name, for the signed-in officer."""
    officer = require_officer(request)
    return await _act(request, dossier, command(_context(request), officer, task_id))


@router.post("/desk/tasks/{task_id:path}/decision")
async def decide(
    request: Request,
    task_id: str,
    dossier: Annotated[str, Form()],
    outcome: Annotated[str, Form()] = "",
    comment: Annotated[str, Form()] = "",
    missing: Annotated[list[str] | None, Form()] = None,
) -> RedirectResponse:
    officer = require_officer(request)
    try:
        body = DecisionBody(
            outcome=outcome,
            comment=comment.strip() or None,
            missing_documents=(missing or []) if outcome == "request_supplement" else [],
        )
    except ValidationError as error:
        request.session["desk.refusal"] = {"key": "desk.refusal.form", "detail": str(error)}
        return _back(dossier)
    return await _act(request, dossier, _inbox.decide(_context(request), officer, task_id, body))
