"""``motcua outbox``: run the dispatcher, see what is waiting, and unpark blocked lines."""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from motcua.cli._common import console, fail

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from motcua.settings import Settings

# The outbox, the store and the settings are imported by the commands: `--help` needs none.

outbox_app = typer.Typer(no_args_is_help=True)


@outbox_app.command()
def run(
    portal: Annotated[
        bool, typer.Option(help="Sync dossier statuses to the national portal (adapters file)")
    ] = True,
    metrics_port: Annotated[
        int, typer.Option(help="Serve Prometheus metrics on this port (0: none)")
    ] = 0,
) -> None:
    """Deliver outbox events to webhooks and the national portal until Ctrl-C."""
    from prometheus_client import start_http_server

    from adapters import Misconfigured, UnknownAdapter
    from motcua.definitions import DefinitionError
    from motcua.outbox import run_dispatcher
    from motcua.settings import get_settings

    settings = get_settings()  # logging: set up by `motcua` for every command
    if metrics_port:
        start_http_server(metrics_port, addr=settings.metrics_host)
    try:
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(run_dispatcher(settings, portal=portal))
    except DefinitionError as error:
        raise fail(f"{error}; or run with --no-portal for webhooks only") from None
    except (UnknownAdapter, Misconfigured) as error:
        raise fail(str(error)) from None


@outbox_app.command()
def status() -> None:
    """Pending and parked deliveries per subscription."""
    from motcua.outbox import backlog
    from motcua.settings import get_settings

    settings = get_settings()
    with _sessions(settings).begin() as session:
        rows = backlog(session)
    table = Table(title="Outbox subscriptions")
    for column in ("subscription", "target", "owner", "active", "cursor", "pending", "parked"):
        table.add_column(
            column, justify="right" if column in ("cursor", "pending", "parked") else "left"
        )
    table.add_column("oldest pending")
    for row in rows:
        table.add_row(
            row.subscription_id,
            row.target,
            row.owner_id,
            "yes" if row.active else "no",
            str(row.cursor),
            str(row.pending),
            f"[red]{row.parked}[/red]" if row.parked else "0",
            row.oldest_pending_at.isoformat(timespec="seconds") if row.oldest_pending_at else "",
        )
    console.print(table if rows else "No subscriptions yet.")


@outbox_app.command()
def retry(
    subscription: Annotated[str, typer.Argument(help="Subscription id (national-portal, wh_…)")],
    dossier: Annotated[
        str | None, typer.Option(help="Only this dossier's line (its dossier code)")
    ] = None,
) -> None:
    """Put a subscription's parked lines back in line, with fresh attempts."""
    from motcua.outbox import unpark
    from motcua.settings import get_settings
    from motcua.store import SubscriptionRow

    settings = get_settings()
    with _sessions(settings).begin() as session:
        if session.get(SubscriptionRow, subscription) is None:
            raise fail(f"no subscription {subscription!r}; see `motcua outbox status`")
        count = unpark(session, subscription, dossier_code=dossier)
    where = f" of dossier {dossier}" if dossier else ""
    console.print(f"Unparked {count} line(s){where} of {subscription}.")


def _sessions(settings: Settings) -> sessionmaker[Session]:
    from motcua.store import make_engine, migrate, session_factory

    migrate(settings.database_url)
    return session_factory(make_engine(settings.database_url))
