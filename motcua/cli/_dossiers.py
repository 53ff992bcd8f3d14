"""``motcua submit|status|tasks|decide``: work dossiers from the command line, through the engine
as the API does."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.table import Table

from motcua.cli._common import catalog_or_exit, console, fail, read_sessions

if TYPE_CHECKING:
    from motcua.engine import Receipt

# The engine, the store and the crypto are imported by the commands: building the command tree
# (for `--help` or an offline command) must not load them.

T = TypeVar("T")


def run_engine(coro: Callable[[], Awaitable[T]]) -> T:
    """Run a command against the engine; a refusal or an unreachable server is one clean line."""
    from motcua.crypto import CONNECTION_ERRORS
    from motcua.engine import CommandRefused
    from motcua.settings import get_settings

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


def submit_command(
    file: Annotated[Path, typer.Argument(help="Submission JSON")],
    wait: Annotated[
        float, typer.Option(help="Seconds to wait for the dossier code once started")
    ] = 30,
) -> None:
    """Submit a dossier described by a JSON file; prints its dossier code (a bundle's: each
    member's, or its state while it waits for the members before it)."""
    from pydantic import ValidationError

    from motcua.engine import (
        BundleReceipt,
        Submission,
        SubmissionPending,
        connect,
        run_options,
        submit,
    )
    from motcua.settings import get_settings

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
        receipt = run_engine(go)
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


def status_command(code: Annotated[str, typer.Argument(help="Dossier code")]) -> None:
    """Live status of a dossier and its Processing Control Sheet (one row per hand-off)."""
    from motcua.engine import Dossier, connect
    from motcua.settings import get_settings
    from motcua.store import get_dossier, list_events

    settings = get_settings()
    sessions = read_sessions(settings)
    with sessions() as session:
        row = get_dossier(session, code)
        if row is None:
            raise fail(f"no dossier {code}")

    async def go() -> Any:
        return await Dossier(await connect(settings), row.workflow_id).status()

    live = run_engine(go)
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


def tasks_command(
    agency: Annotated[str | None, typer.Option(help="Agency id, e.g. commune-police")] = None,
    role: Annotated[str | None, typer.Option(help="Role, e.g. residence-officer")] = None,
    procedure: Annotated[str | None, typer.Option(help="Procedure code")] = None,
    limit: int = 30,
) -> None:
    """The officers' inbox: open tasks, the most urgent first."""
    from motcua.settings import get_settings
    from motcua.store import list_tasks

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


def decide_command(
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
    from motcua.dossier import Actor, DecisionInput
    from motcua.engine import Dossier, connect
    from motcua.settings import get_settings
    from motcua.store import TaskRow, make_engine, record_decision, session_factory

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

    ack = run_engine(go)
    console.print(f"{ack.dossier_code}: {ack.message}; dossier is now [bold]{ack.status}[/bold]")


def _when(value: Any) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "-"
