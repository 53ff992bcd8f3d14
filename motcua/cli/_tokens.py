"""``motcua tokens issue``: development bearer tokens for the API.

Signed (HS256) with the key the API checks (``Settings.token_key()``): the well-known development
key in dev mode, ``MOTCUA_JWT_SECRET`` when set; each carries a fresh ``jti``. Refused in
production, where tokens come from the identity provider and the API refuses HS256 ones; to try
the provider's path, ``motcua sim idp`` simulates one (docs/security/sign-in.md). Roles and
agencies are checked against the procedure registry, so a typo does not make a token that
silently sees an empty inbox.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.console import Console

from motcua.cli._common import catalog_or_exit
from motcua.service_scopes import SERVICE_SCOPES

if TYPE_CHECKING:
    from motcua.api import Principal
    from motcua.definitions import Registry
    from motcua.settings import Settings

# The API (FastAPI), jwt and the crypto are imported by the command: `--help` needs none.

tokens_app = typer.Typer(no_args_is_help=True)
errors = Console(stderr=True, soft_wrap=True)

_TTL = re.compile(r"(\d+)([dhms])")
_UNITS = {"d": "days", "h": "hours", "m": "minutes", "s": "seconds"}


class Kind(StrEnum):
    citizen = "citizen"
    officer = "officer"
    service = "service"


def parse_ttl(text: str) -> timedelta:
    """``8h``, ``30m``, ``2d``, ``1h30m`` → a positive duration."""
    compact = text.strip().lower()
    if not compact or _TTL.sub("", compact):
        raise typer.BadParameter(
            f"{text!r} is not a duration like 8h, 30m, 2d or 1h30m", param_hint="--ttl"
        )
    ttl = sum(
        (timedelta(**{_UNITS[unit]: int(n)}) for n, unit in _TTL.findall(compact)), timedelta()
    )
    if ttl <= timedelta(0):
        raise typer.BadParameter("the token must live longer than 0 seconds", param_hint="--ttl")
    return ttl


@tokens_app.command("issue")
def issue(
    kind: Annotated[Kind, typer.Argument(help="Who the token is for", metavar="KIND")],
    subject: Annotated[
        str,
        typer.Argument(
            help="Citizen: 12-digit personal ID; officer or service: its id", metavar="ID"
        ),
    ],
    role: Annotated[
        list[str] | None, typer.Option("--role", help="Officer: a role held (repeat)")
    ] = None,
    agency: Annotated[
        list[str] | None,
        typer.Option("--agency", help="Officer: an agency in scope; service: its agency (repeat)"),
    ] = None,
    scope: Annotated[
        list[str] | None,
        typer.Option("--scope", help=f"Service: {', '.join(SERVICE_SCOPES)} (repeat)"),
    ] = None,
    ttl: Annotated[str, typer.Option(help="How long the token is valid: 8h, 30m, 2d")] = "12h",
    as_json: Annotated[bool, typer.Option("--json", help="Print the token and its claims")] = False,
) -> None:
    """Print a bearer token for a citizen, an officer or a service (development only).

    motcua tokens issue citizen 001203004512

    motcua tokens issue officer lan --role one-stop-officer --agency commune-police

    motcua tokens issue service portal-1 --scope portal --ttl 8h
    """
    import jwt

    from motcua.api import issue_token
    from motcua.settings import MissingSecret

    lifetime = parse_ttl(ttl)
    settings = _settings()
    roles, agencies, scopes = role or [], agency or [], scope or []
    principal = _principal(settings, kind, subject, roles, agencies, scopes)
    try:
        token = issue_token(settings, principal, ttl=lifetime)
    except MissingSecret:
        _refuse(
            "no key to sign tokens with: set MOTCUA_JWT_SECRET (the key the API checks) "
            "or MOTCUA_DEV_MODE=true for the well-known development key"
        )
    if not as_json:
        typer.echo(token)
        return
    claims = jwt.decode(token, options={"verify_signature": False})
    expires = datetime.fromtimestamp(claims["exp"], UTC).isoformat()
    typer.echo(json.dumps({"token": token, "expires_at": expires, "claims": claims}, indent=2))


def _settings() -> Settings:
    from pydantic import ValidationError

    from motcua.settings import get_settings

    try:
        settings = get_settings()
    except ValidationError as error:
        problems = "; ".join(e["msg"].removeprefix("Value error, ") for e in error.errors())
        _refuse(f"the settings are not valid: {problems}")
    if settings.environment == "production":
        _refuse(
            "MOTCUA_ENVIRONMENT is production: tokens there come from the identity provider, "
            "not from `motcua tokens issue`"
        )
    return settings


def _principal(
    settings: Settings,
    kind: Kind,
    subject: str,
    roles: list[str],
    agencies: list[str],
    scopes: list[str],
) -> Principal:
    from motcua.api import Citizen, Officer, Service

    if kind is Kind.citizen:
        if roles or agencies or scopes:
            raise typer.BadParameter("a citizen's token carries no --role, --agency or --scope")
        if not re.fullmatch(r"\d{12}", subject):
            raise typer.BadParameter(f"{subject!r} is not a 12-digit personal ID", param_hint="ID")
        return Citizen(personal_id=subject)
    registry = catalog_or_exit(settings).registry
    assert registry is not None  # a loaded catalog always has its registry
    _check_agencies(registry, agencies)
    if kind is Kind.officer:
        if scopes:
            raise typer.BadParameter("an officer's token carries roles, not --scope")
        if not roles or not agencies:
            raise typer.BadParameter("an officer needs at least one --role and one --agency")
        _check_roles(registry, roles, agencies)
        return Officer(id=subject, roles=roles, agencies=agencies)
    if roles:
        raise typer.BadParameter("a service's token carries scopes, not --role")
    unknown = [s for s in scopes if s not in SERVICE_SCOPES]
    if not scopes or unknown:
        raise typer.BadParameter(
            f"a service needs --scope from: {', '.join(SERVICE_SCOPES)}"
            + (f" (not {', '.join(unknown)})" if unknown else ""),
            param_hint="--scope",
        )
    if "portal" in scopes and not agencies:
        raise typer.BadParameter(
            "a portal needs at least one --agency: it sees only those agencies' dossiers",
            param_hint="--agency",
        )
    return Service(id=subject, scopes=scopes, agencies=agencies)


def _check_agencies(registry: Registry, agencies: list[str]) -> None:
    unknown = [a for a in agencies if a not in registry.agencies]
    if unknown:
        raise typer.BadParameter(
            f"unknown agency {', '.join(unknown)}; known: {', '.join(sorted(registry.agencies))}",
            param_hint="--agency",
        )


def _check_roles(registry: Registry, roles: list[str], agencies: list[str]) -> None:
    """Each role must exist at one of the officer's agencies, or be the operator role (the
    codec server's, held at any agency)."""
    from motcua.crypto.server import OPERATOR_ROLE

    offered = sorted({r for a in agencies for r in registry.agency(a).roles})
    unknown = [r for r in roles if r not in offered and r != OPERATOR_ROLE]
    if unknown:
        raise typer.BadParameter(
            f"role {', '.join(unknown)} does not exist at {', '.join(agencies)}; "
            f"known there: {', '.join(offered)}",
            param_hint="--role",
        )


def _refuse(message: str) -> NoReturn:
    errors.print(f"[red]error:[/red] {message}")
    raise typer.Exit(2)
