"""``motcua audit``: prove the event log is what the workflows recorded, and anchor each day."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

import typer

from motcua.cli._common import console, fail, read_sessions

if TYPE_CHECKING:
    from temporalio.client import Client

    from adapters.http.timestamping import HttpTimestampAuthority
    from motcua.audit import Anchor, AuditReport
    from motcua.settings import Settings

# Temporal's client, the adapters and the store are imported where they are used: registering
# these commands costs `motcua --help` nothing.

audit_app = typer.Typer(no_args_is_help=True)


@audit_app.command("verify")
def verify_command(
    dossier: str | None = typer.Option(None, help="Only this dossier code"),
    since: datetime | None = typer.Option(  # noqa: B008  (typer reads options this way)
        None, formats=["%Y-%m-%d"], help="Only dossiers active on or after this UTC day"
    ),
) -> None:
    """Recompute every dossier's hash chain from the read model and hold it against its
    workflow; check the anchors of past days. Exit 0 when intact; 1 with one line per broken
    dossier (its code and first bad event seq) or anchor; 2 when something could not be
    checked (a workflow that does not answer)."""
    from motcua.settings import get_settings

    settings = get_settings()
    day = since.date() if since else None
    report = asyncio.run(_verify(settings, dossier, day))
    for line in [b.line() for b in report.breaks] + report.anchor_problems:
        console.print(line, highlight=False, soft_wrap=True)
    for line in report.unverified:
        console.print(line, highlight=False, soft_wrap=True)
    summary = f"{report.dossiers} dossiers, {report.anchors} anchors checked"
    if report.gone:
        summary += f"; {len(report.gone)} no longer in Temporal, vouched for by the anchors"
    if report.breaks or report.anchor_problems:
        console.print(f"[red]tampered:[/red] {summary}", soft_wrap=True)
        raise typer.Exit(1)
    if report.unverified:
        console.print(f"[yellow]not all verified:[/yellow] {summary}", soft_wrap=True)
        raise typer.Exit(2)
    console.print(f"intact: {summary}", soft_wrap=True)


@audit_app.command("anchor")
def anchor_command(
    day: datetime | None = typer.Option(  # noqa: B008
        None, formats=["%Y-%m-%d"], help="The UTC day to anchor (default: yesterday)"
    ),
) -> None:
    """Verify the day's dossiers, then write the Merkle root of their chain heads and have the
    timestamping authority (MOTCUA_AUDIT_TSA_URL) sign it."""
    from adapters import AdapterError
    from motcua.audit import AnchorRefused
    from motcua.settings import get_settings

    settings = get_settings()
    chosen = day.date() if day else datetime.now(UTC).date() - timedelta(days=1)
    try:
        anchor = asyncio.run(_anchor(settings, chosen))
    except AnchorRefused as refused:
        for broken in refused.breaks:
            console.print(broken.line(), highlight=False, soft_wrap=True)
        raise fail(str(refused)) from None
    except AdapterError as error:
        raise fail(f"the timestamping authority did not stamp the anchor: {error}") from None
    stamp = (
        f"stamped by {anchor.receipt.authority} as {anchor.receipt.serial}"
        if anchor.receipt
        else "not stamped (MOTCUA_AUDIT_TSA_URL is unset)"
    )
    console.print(
        f"anchor {anchor.day}: root {anchor.root} over {anchor.dossiers} dossiers, {stamp}",
        highlight=False,
        soft_wrap=True,
    )


@audit_app.command("tsa-sim")
def tsa_sim_command(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on"),
    port: int = typer.Option(8107, min=0, max=65535, help="Port"),
    seed: int = typer.Option(0, help="Seed of the authority's signing key"),
) -> None:
    """Serve the timestamping-authority simulator (POST /v1/stamps, GET /v1/key), for
    development and demos: point MOTCUA_AUDIT_TSA_URL at it."""
    import uvicorn

    from motcua.simulators.timestamping import create_app

    console.print(f"timestamping simulator on http://{host}:{port}", highlight=False)
    uvicorn.run(create_app(seed=seed), host=host, port=port, log_level="warning")


async def _connect(settings: Settings) -> Client:
    from motcua.engine import connect

    try:
        return await connect(settings)
    except RuntimeError as error:  # the SDK's "failed client connect"
        # Exit 2, as for anything verify cannot check: 1 means the log was tampered with.
        console.print(f"[red]error:[/red] cannot reach Temporal at {settings.temporal_address}")
        raise typer.Exit(2) from error


async def _verify(settings: Settings, dossier: str | None, since: date | None) -> AuditReport:
    from motcua.audit import verify

    client = await _connect(settings)
    async with _authority(settings) as authority:
        key = await authority.key() if authority else None
        return await verify(
            read_sessions(settings),
            client,
            dossier_code=dossier,
            since=since,
            authority_key=key,
            timeout=timedelta(seconds=settings.audit_query_timeout_seconds),
        )


async def _anchor(settings: Settings, day: date) -> Anchor:
    from motcua.audit import make_anchor
    from motcua.store import make_engine, migrate, session_factory

    client = await _connect(settings)
    migrate(settings.database_url)
    engine = make_engine(settings.database_url)
    async with _authority(settings) as authority:
        return await make_anchor(
            session_factory(engine),
            client,
            day=day,
            authority=authority,
            timeout=timedelta(seconds=settings.audit_query_timeout_seconds),
        )


@asynccontextmanager
async def _authority(settings: Settings) -> AsyncIterator[HttpTimestampAuthority | None]:
    from pydantic import ValidationError

    from adapters.http._client import HttpOptions
    from adapters.http.timestamping import HttpTimestampAuthority

    if settings.audit_tsa_url is None:
        yield None
        return
    try:
        options = HttpOptions.model_validate(
            {"base_url": settings.audit_tsa_url, "token_env": settings.audit_tsa_token_env}
        )
    except ValidationError as error:
        raise fail(f"MOTCUA_AUDIT_TSA_URL is not a URL: {error.errors()[0]['msg']}") from None
    authority = HttpTimestampAuthority(options)
    try:
        yield authority
    finally:
        await authority.aclose()
