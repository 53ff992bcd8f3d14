"""Who may use the codec server: an officer whose token carries the ``operator`` role."""

from __future__ import annotations

from typing import Annotated

import structlog
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from motcua.api import Citizen, Officer, read_token
from motcua.api._errors import ApiError
from motcua.settings import Settings

OPERATOR_ROLE = "operator"

log = structlog.get_logger("motcua.codec")

_bearer = HTTPBearer(auto_error=False, description="An officer token with the operator role")


def operator(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Officer:
    """The calling operator: 401 without a valid bearer token (checked as the API checks it),
    403 for any caller who is not an officer holding the operator role."""
    if credentials is None:
        raise ApiError(
            401,
            "unauthenticated",
            "a bearer token is required (temporal ... --codec-auth 'Bearer <token>')",
            headers={"WWW-Authenticate": "Bearer"},
        )
    settings: Settings = request.app.state.settings
    who = read_token(settings, credentials.credentials)
    if not isinstance(who, Officer) or OPERATOR_ROLE not in who.roles:
        # A citizen's subject is their personal ID: the log names only the kind of caller.
        caller = None if isinstance(who, Citizen) else who.id
        log.warning("codec.refused", caller_kind=who.kind, caller=caller, path=request.url.path)
        raise ApiError(
            403, "forbidden", f"only an officer with the {OPERATOR_ROLE!r} role may use the codec"
        )
    return who


OperatorDep = Annotated[Officer, Depends(operator)]
