"""Signing in to the console.

In dev mode a page offers development identities: an officer for each role at each agency of the
registry, an operator, or a citizen by personal ID. Otherwise sign-in goes to the identity
provider (the OIDC authorization-code flow with PKCE, in ``_oidc_flow``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from motcua.api._principals import Citizen, Officer, Principal
from motcua.console._render import render
from motcua.console._session import check_csrf, end_session, safe_next, start_session

router = APIRouter()


def dev_officers(request: Request) -> list[Officer]:
    context = request.app.state.context
    registry = context.catalog.registry
    officers = [
        Officer(id=f"{role}@{slug}", roles=[role], agencies=[slug])
        for slug, agency in (registry.agencies.items() if registry else [])
        for role in agency.roles
    ]
    operator = context.settings.operator_role
    if registry:
        officers.append(
            Officer(id="operator", roles=[operator], agencies=sorted(registry.agencies))
        )
    return officers


@router.get("/signin", response_class=HTMLResponse)
async def sign_in_page(request: Request, next: str | None = None) -> HTMLResponse:
    settings = request.app.state.context.settings
    officers = dev_officers(request) if settings.dev_mode else []
    return render(
        request,
        "signin.html",
        next=safe_next(next),
        dev_mode=settings.dev_mode,
        officers=officers,
        provider=settings.oidc_issuer,
        error=None,
    )


@router.post("/signin/dev", dependencies=[Depends(check_csrf)])
async def sign_in_dev(
    request: Request,
    identity: Annotated[str, Form()] = "",
    personal_id: Annotated[str, Form()] = "",
    next_page: Annotated[str, Form(alias="next")] = "/",
) -> Response:
    """Dev mode only: sign in as the chosen development identity."""
    settings = request.app.state.context.settings
    if not settings.dev_mode:
        return render(request, "error.html", 404, message_key="error.not_found")
    principal: Principal | None = None
    if identity == "citizen":
        try:
            principal = Citizen(personal_id=personal_id.strip())
        except ValidationError:
            principal = None
    else:
        principal = next((o for o in dev_officers(request) if o.id == identity), None)
    if principal is None:
        return render(
            request,
            "signin.html",
            422,
            next=safe_next(next_page),
            dev_mode=True,
            officers=dev_officers(request),
            provider=settings.oidc_issuer,
            error="signin.error.identity",
        )
    start_session(request, principal)
    return RedirectResponse(safe_next(next_page), status_code=303)


@router.post("/signout", dependencies=[Depends(check_csrf)])
async def sign_out(request: Request) -> Response:
    end_session(request)
    return RedirectResponse("/", status_code=303)
