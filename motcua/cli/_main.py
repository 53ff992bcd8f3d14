"""``motcua``: run the stack, work dossiers, check procedure definitions."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import os
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from motcua.cli._adapters import adapters_app
from motcua.cli._analysis import (
    api_command,
    bottlenecks_command,
    export_command,
    kpis_command,
)
from motcua.cli._audit import audit_app
from motcua.cli._codec import codec_server_command
from motcua.cli._common import catalog_or_exit, console, fail, read_sessions, set_up_logging
from motcua.cli._dossiers import (
    decide_command,
    run_engine,
    status_command,
    submit_command,
    tasks_command,
)
from motcua.cli._keys import keys_app
from motcua.cli._outbox import outbox_app
from motcua.cli._payments import payments_app
from motcua.cli._procedures import procedures_app
from motcua.cli._reengineer import add_reengineering_commands
from motcua.cli._sim import sim_app
from motcua.cli._store import store_app
from motcua.cli._tokens import tokens_app

# Each command imports what it runs on (the engine, the crypto, the settings), so building the
# command tree for `--help` or an offline command costs no heavy import.

app = typer.Typer(help="motcua: durable workflows for full-process online public services.")
app.add_typer(procedures_app, name="procedures", help="Check, show and draw procedure definitions.")
add_reengineering_commands(procedures_app)
app.add_typer(sim_app, name="sim", help="Serve a simulator of an agency system over HTTP.")
app.add_typer(adapters_app, name="adapters", help="List adapter plugins and check them.")
app.add_typer(tokens_app, name="tokens", help="Issue development bearer tokens for the API.")
app.add_typer(outbox_app, name="outbox", help="Deliver events to webhooks and the national portal.")
app.add_typer(payments_app, name="payments", help="Payments parked for an operator.")
app.add_typer(store_app, name="store", help="Rebuild the read model's projections from the log.")
app.add_typer(keys_app, name="keys", help="List, rotate and make payload encryption keys.")
app.command(name="codec-server")(codec_server_command)
app.add_typer(audit_app, name="audit", help="Verify the event log's hash chains; anchor each day.")
app.command(name="kpis")(kpis_command)
app.command(name="bottlenecks")(bottlenecks_command)
app.command(name="export")(export_command)
app.command(name="api")(api_command)
app.command(name="submit")(submit_command)
app.command(name="status")(status_command)
app.command(name="tasks")(tasks_command)
app.command(name="decide")(decide_command)
T = TypeVar("T")


@app.callback()
def _set_up_logging(ctx: typer.Context) -> None:
    # `motcua procedures` decides for its own commands: checking definitions logs nothing, so
    # a designer's `validate` need not load the observability stack (see _procedures.py).
    if ctx.invoked_subcommand != "procedures":
        set_up_logging()


@app.command()
def worker(
    agency: Annotated[
        str | None,
        typer.Option(help="Run only this agency's task queue (agency.<id>) with its adapters"),
    ] = None,
) -> None:
    """Run a worker (Ctrl-C to stop): the engine's queue and every agency's that has no worker
    of its own (MOTCUA_SEPARATE_AGENCIES), or with --agency only that agency's."""
    from adapters import Misconfigured, UnknownAdapter
    from motcua.crypto import CONNECTION_ERRORS
    from motcua.definitions import DefinitionError
    from motcua.settings import MissingSecret, get_settings
    from worker import UnknownAgency, run_worker

    settings = get_settings()  # logging: set up by `motcua` for every command
    try:
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(run_worker(settings, agency=agency))
    except (DefinitionError, UnknownAdapter, UnknownAgency, Misconfigured, MissingSecret) as error:
        raise fail(str(error)) from None
    except CONNECTION_ERRORS as error:
        raise fail(str(error)) from None


@app.command()
def up(
    demo: Annotated[int, typer.Option(help="Submit this many demo dossiers (0: none)")] = 0,
    time_scale: Annotated[float, typer.Option(help="Demo clock speed-up")] = 6_000.0,
    wait: Annotated[bool, typer.Option(help="Keep serving until Ctrl-C after the demo")] = True,
    demo_seconds: Annotated[float, typer.Option(help="Stop the demo load after this long")] = 150,
    adapt_clock: Annotated[
        bool, typer.Option(help="Slow the demo clock down when workflow tasks lag")
    ] = True,
    allow_stuck_dossiers: Annotated[
        bool,
        typer.Option(
            help="Start even if var/ holds open dossiers this version cannot continue "
            "(the worker then fails their tasks in its log)"
        ),
    ] = False,
) -> None:
    """Start the embedded stack, a supervised process each: Temporal dev server (persisted
    under var/), simulators, workers, outbox, API and console (and the demo). Ctrl-C or SIGTERM
    stops them all. Open dossiers in var/ recorded by an engine this version cannot continue
    stop it before the worker starts, saying how to start afresh."""
    import sys

    from motcua.crypto import CONNECTION_ERRORS
    from motcua.observability import configure_logging
    from motcua.settings import MissingSecret, get_settings
    from motcua.stack import DemoOptions, PortInUse, run_stack

    # The embedded stack (a dev server, simulators) is development by nature: say so explicitly.
    os.environ.setdefault("MOTCUA_ENVIRONMENT", "development")
    settings = get_settings()
    configure_logging(fmt=settings.log_format, level="WARNING")
    options = DemoOptions(
        dossiers=demo, time_scale=time_scale, seconds=demo_seconds, adapt_clock=adapt_clock
    )
    status = 0
    try:
        with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C before the supervisor is in place
            status = run_stack(
                settings,
                sys.stdout,
                demo=options,
                wait=wait,
                allow_stuck_dossiers=allow_stuck_dossiers,
            )
    except PortInUse as exc:
        console.print(f"[red]error:[/red] {exc}", soft_wrap=True)  # one line, however long
        raise typer.Exit(1) from None
    except CONNECTION_ERRORS as exc:  # before MissingSecret: a payload key is not the API's
        raise fail(str(exc)) from None
    except MissingSecret as exc:
        raise fail(f"the API needs its keys: {exc}") from None
    console.print("motcua stopped.")
    if status:
        raise typer.Exit(status)


@app.command(name="demo")
def demo_command(
    dossiers: Annotated[int, typer.Option(help="How many dossiers to submit")] = 200,
    time_scale: Annotated[float, typer.Option(help="Demo clock speed-up (at the start)")] = 6_000.0,
    seconds: Annotated[float, typer.Option(help="Stop the load after this long")] = 150,
    seed: Annotated[int, typer.Option(help="Same seed, same arrivals and office")] = 7,
    office: Annotated[
        Path | None, typer.Option(help="Office file (default: the packaged office.yaml)")
    ] = None,
    officers: Annotated[
        list[str] | None,
        typer.Option(help="Officers of a role at an agency, role@agency=N (repeatable)"),
    ] = None,
    adapt_clock: Annotated[
        bool, typer.Option(help="Slow the clock down when workflow tasks lag")
    ] = True,
    payment_url: Annotated[
        str | None, typer.Option(help="Citizens pay at this payment simulator")
    ] = None,
    platform_calls_back: Annotated[
        bool, typer.Option(help="The payment simulator confirms to the API's callback")
    ] = False,
) -> None:
    """File dossiers for the population simulator's citizens, let a modelled one-stop office
    work them on a running stack (docs/demo.md), and print a KPI and bottleneck summary."""
    from motcua.demo import (
        DemoConfig,
        OfficeFileError,
        check_pools,
        load_office,
        parse_officers,
        print_summary,
        run_demo,
        where_to_look,
    )
    from motcua.engine import connect, run_options
    from motcua.settings import get_settings
    from worker import worker_calendar

    settings = get_settings()
    catalog, sessions = catalog_or_exit(settings), read_sessions(settings)
    try:
        plan = load_office(office).with_officers(parse_officers(officers or []))
        check_pools(plan, catalog.registry)
    except OfficeFileError as error:
        raise fail(str(error)) from None
    config = DemoConfig(
        dossiers=dossiers, time_scale=time_scale, max_seconds=seconds, seed=seed, office=plan,
        adapt_clock=adapt_clock, payment_url=payment_url, platform_calls_back=platform_calls_back,
    )  # fmt: skip

    async def go() -> Any:
        client = await connect(settings)
        return await run_demo(
            client,
            catalog,
            sessions,
            task_queue=settings.task_queue,
            config=config,
            console=console,
            calendar=worker_calendar(settings),
            options=run_options(settings),
        )

    report = run_engine(go)
    print_summary(console, dataclasses.replace(report, links=where_to_look(settings, report)))
