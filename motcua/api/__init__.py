"""The HTTP API (FastAPI, ``/v1``): portals, officers, agency events, KPIs."""

from motcua.api._app import create_app
from motcua.api._auth import (
    Citizen,
    Officer,
    Principal,
    Service,
    issue_token,
    read_token,
    require_sign_in,
)
from motcua.api._context import ApiContext
from motcua.api._files import FileStore
from motcua.api._headers import SecurityHeaders
from motcua.api._limits import BodySizeLimit, RateLimit, TokenBuckets
from motcua.api._serve import build_context, serving_api

__all__ = [
    "ApiContext",
    "BodySizeLimit",
    "Citizen",
    "FileStore",
    "Officer",
    "Principal",
    "RateLimit",
    "SecurityHeaders",
    "Service",
    "TokenBuckets",
    "build_context",
    "create_app",
    "issue_token",
    "read_token",
    "require_sign_in",
    "serving_api",
]
