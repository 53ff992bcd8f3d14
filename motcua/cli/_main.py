"""``motcua``: run the stack, work dossiers, check procedure definitions."""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from pydantic import ValidationError
from rich.table import Table

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
from motcua.cli._keys import keys_app
from motcua.cli._outbox import outbox_app
from motcua.cli._payments import payments_app
from motcua.cli._procedures import procedures_app
from motcua.cli._sim import sim_app
from motcua.cli._store import store_app
from motcua.cli._tokens import tokens_app
from motcua.crypto import CONNECTION_ERRORS
from motcua.definitions import DefinitionError
from motcua.dossier import Actor, DecisionInput
from motcua.engine import (
    BundleReceipt,
    CommandRefused,
    Dossier,
    Receipt,
    Submission,
    SubmissionPending,
    connect,
    run_options,
    submit,
)
from motcua.observability import configure_logging
from motcua.settings import get_settings
from motcua.store import (
    TaskRow,
    get_dossier,
    list_events,
    list_tasks,
    make_engine,
    record_decision,
    session_factory,
)

app = typer.Typer(help="motcua: durable workflows for full-process online public services.")
app.add_typer(procedures_app, name="procedures", help="Check, show and draw procedure definitions.")
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
app.callback()(set_up_logging)
T = TypeVar("T")


def _run(coro: Callable[[], Awaitable[T]]) -> T:
    try:
        return asyncio.run(coro())  # type: ignore[arg-type]
    except CommandRefused as refused:
        raise fail(refused.message) from None
    except CONNECTION_ERRORS as error:
        raise fail(str(error)) from None
    except RuntimeError as error:
        if "connect" in str(error).lower():
            raise fail(
                f"cannot reach Temporal at {get_settings().temporal_address}; "
                "is `motcua up` running?"
            ) from None
        raise


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
    from motcua.settings import MissingSecret
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
) -> None:
    """Start the embedded stack: Temporal dev server (persisted under var/) and a worker."""
    from motcua.demo import DemoConfig
    from motcua.settings import MissingSecret
    from motcua.stack import run_stack

    # The embedded stack (a dev server, simulators) is development by nature: say so explicitly.
    os.environ.setdefault("MOTCUA_ENVIRONMENT", "development")
    settings = get_settings()
    configure_logging(fmt=settings.log_format, level="WARNING")
    with contextlib.suppress(KeyboardInterrupt):
        demo_config = DemoConfig(dossiers=demo, time_scale=time_scale, max_seconds=demo_seconds)
        try:
            asyncio.run(run_stack(settings, console, demo=demo_config, wait=wait))
        except CONNECTION_ERRORS as exc:  # before MissingSecret: a payload key is not the API's
            raise fail(str(exc)) from None
        except MissingSecret as exc:
            raise fail(f"the API needs its keys: {exc}") from None
    console.print("motcua stopped.")


@app.command(name="demo")
def demo_command(
    dossiers: Annotated[int, typer.Option(help="How many dossiers to submit")] = 200,
    time_scale: Annotated[float, typer.Option(help="Demo clock speed-up")] = 6_000.0,
    seconds: Annotated[float, typer.Option(help="Stop the load after this long")] = 150,
) -> None:
    """Submit a realistic demo load to a running stack and print a summary."""
    from motcua.demo import DemoConfig, print_summary, run_demo

    settings = get_settings()
    catalog, sessions = catalog_or_exit(settings), read_sessions(settings)

    async def go() -> dict[str, Any]:
        client = await connect(settings)
        config = DemoConfig(dossiers=dossiers, time_scale=time_scale, max_seconds=seconds)
        return await run_demo(
            client,
            catalog,
            sessions,
            task_queue=settings.task_queue,
            config=config,
            console=console,
        )

    print_summary(console, _run(go))


@app.command(name="submit")
def submit_command(
    file: Annotated[Path, typer.Argument(help="Submission JSON")],
    wait: Annotated[
        float, typer.Option(help="Seconds to wait for the dossier code once started")
    ] = 30,
) -> None:
    """Submit a dossier described by a JSON file; prints its dossier code (a bundle's: each
    member's, or its state while it waits for the members before it)."""
    settings = get_settings()
    try:
        submission = Submission.model_validate_json(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise fail(f"{file}: no such file") from None
    except ValidationError as error:
        details = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
        raise fail(f"{file}: {details}") from None
    catalog = catalog_or_exit(settings)

    async def go() -> Receipt:
        return await submit(
            await connect(settings),
            catalog,
            submission,
            task_queue=settings.task_queue,
            options=run_options(settings),
            wait=timedelta(seconds=wait),
        )

    try:
        receipt = _run(go)
    except ValueError as error:  # unknown procedure, channel, unlisted or missing documents
        raise fail(str(error)) from None
    except SubmissionPending as pending:  # started; no worker has answered yet
        console.print(f"{pending}; submitting it again is safe")
        return
    if not isinstance(receipt, BundleReceipt):
        console.print(f"dossier [bold]{receipt.dossier_code}[/bold] submitted")
        return
    console.print(f"bundle [bold]{receipt.workflow_id}[/bold] submitted")
    for member in receipt.members:
        code = member.dossier.dossier_code if member.dossier else "-"
        console.print(f"  {member.member_id} ({member.procedure_code}): {member.state}  {code}")


@app.command()
def status(code: Annotated[str, typer.Argument(help="Dossier code")]) -> None:
    """Live status of a dossier and its Processing Control Sheet (one row per hand-off)."""
    settings = get_settings()
    sessions = read_sessions(settings)
    with sessions() as session:
        row = get_dossier(session, code)
        if row is None:
            raise fail(f"no dossier {code}")

    async def go() -> Any:
        return await Dossier(await connect(settings), row.workflow_id).status()

    live = _run(go)
    with sessions() as session:  # after the live query, so the sheet is at least as recent
        events = list_events(session, code)
    console.print(
        f"[bold]{live.dossier_code}[/bold]  procedure {live.procedure_code} "
        f"v{live.procedure_version}  at {live.agency}  ({live.channel})"
    )
    console.print(f"status: [bold]{live.status}[/bold]   waiting for: {live.waiting_for or '-'}")
    console.print(
        f"due: {_when(live.due_at)}{'  (extended, apology sent)' if live.extended else ''}"
        f"{'  clock stopped' if live.clock_stopped else ''}"
    )
    sheet = Table(title="Processing Control Sheet")
    for column in (
        "#",
        "time (UTC)",
        "event",
        "step",
        "from",
        "to",
        "actor",
        "outcome",
        "timeliness",
    ):
        sheet.add_column(column)
    for e in events:
        sheet.add_row(
            str(e.seq), _when(e.occurred_at), e.type, e.step_id or "", e.handed_from or "",
            e.handed_to or "", e.actor_id, e.outcome or "", e.timeliness or "",
        )  # fmt: skip
    console.print(sheet)


@app.command()
def tasks(
    agency: Annotated[str | None, typer.Option(help="Agency id, e.g. commune-police")] = None,
    role: Annotated[str | None, typer.Option(help="Role, e.g. residence-officer")] = None,
    procedure: Annotated[str | None, typer.Option(help="Procedure code")] = None,
    limit: int = 30,
) -> None:
    """The officers' inbox: open tasks, the most urgent first."""
    settings = get_settings()
    with read_sessions(settings)() as session:
        rows = list_tasks(session, agency=agency, role=role, procedure_code=procedure, limit=limit)
    table = Table(title=f"Open tasks ({len(rows)})")
    table.add_column("task", overflow="fold")  # ids are copied into `motcua decide`: never cut
    for column in ("step", "role", "agency", "due (UTC)", "claimed by", "outcomes"):
        table.add_column(column)
    for t in rows:
        table.add_row(
            t.task_id, t.step_id, t.role, t.agency, _when(t.due_at), t.claimed_by or "",
            ", ".join(t.outcomes or []),
        )  # fmt: skip
    console.print(table)


@app.command()
def decide(
    task_id: Annotated[str, typer.Argument(help="Task id from `motcua tasks`")],
    outcome: Annotated[
        str, typer.Argument(help="e.g. accept, approve, reject, request_supplement")
    ],
    officer: Annotated[str, typer.Option(help="Your officer id")],
    role: Annotated[str, typer.Option(help="The role you act in")],
    agency: Annotated[str, typer.Option(help="Your agency id")],
    missing: Annotated[list[str] | None, typer.Option(help="Missing document id (repeat)")] = None,
    comment: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Decide a task; the workflow checks role, agency, outcome, four-eyes and the documents."""
    settings = get_settings()
    with read_sessions(settings)() as session:
        task = session.get(TaskRow, task_id)
        if task is None:
            raise fail(f"no task {task_id}")
        workflow_id, dossier_code = task.workflow_id, task.dossier_code
    # The decision record first (who, why), as the API keeps it; the workflow gets its id.
    with session_factory(make_engine(settings.database_url)).begin() as session:
        record_id = record_decision(
            session, dossier_code=dossier_code, outcome=outcome, text=comment,
            officer_id=officer, agencies=[agency], token_jti=None,
        )  # fmt: skip

    async def go() -> Any:
        dossier = Dossier(await connect(settings), workflow_id)
        actor = Actor(id=officer, role=role, agency=agency)
        return await dossier.decide(
            DecisionInput(
                task_id=task_id,
                actor=actor,
                outcome=outcome,
                comment_id=record_id,
                missing_documents=missing or [],
            )
        )

    ack = _run(go)
    console.print(f"{ack.dossier_code}: {ack.message}; dossier is now [bold]{ack.status}[/bold]")


def _when(value: Any) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "-"
