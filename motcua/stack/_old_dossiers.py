"""Before ``motcua up`` starts the engine worker: can this code continue the dossiers still open
in ``var/``?

Until 1.0 the workflow code may change without a patch (a new history baseline:
``workflows/_patches.py``). A worker of the new code then fails every workflow task of a dossier
an earlier engine filed, again and again (hundreds of failed activations in its log), and
nothing says why. So ``up`` replays a sample of the open dossiers' histories against this code,
as the worker would run them, and says in one block what it found.
"""

from __future__ import annotations

import asyncio
import re
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from temporalio.client import Client, WorkflowHistory

    from motcua.settings import Settings
    from motcua.stack._supervisor import Supervisor

# The newest are what the last run left (a demo cut short leaves dozens); the oldest are the
# likeliest to be an earlier engine's, when a run that was let start anyway filed newer ones on
# top of them. 25 replays take half a second (two with loading the worker's code); every open
# dossier of a long-used var/ could take minutes.
NEWEST = 20
OLDEST = 5
# How far down the list (newest first) the oldest are looked for: two pages of ids, not the
# whole of a server that holds 100,000 open dossiers.
LISTED_AT_MOST = 2_000
BUDGET_SECONDS = 30.0  # the whole check: past it `up` says what it could not check and goes on
RPC_SECONDS = 5.0
CONNECT_SECONDS = 10.0  # the dev server's port answers a moment before its frontend does
REASON_CHARS = 160
_CORE_MESSAGE = re.compile(r'message: "(?:\[TMPRL\d+\] )?(.*?)(?<!\\)"')


@dataclass(frozen=True)
class Stuck:
    """An open dossier this code cannot continue, and the replay's complaint."""

    workflow_id: str
    reason: str


@dataclass(frozen=True)
class Findings:
    """What the check saw: ``open`` dossiers, ``checked`` of them replayed, the ``stuck`` ones."""

    open: int
    checked: int
    stuck: tuple[Stuck, ...]


@dataclass(frozen=True)
class Unchecked:
    """The check could not be made (the server did not answer in time, say)."""

    reason: str


class StuckDossiers(Exception):
    """Open dossiers this code cannot continue: ``up`` said so and starts no worker."""


def check_before_the_worker(supervisor: Supervisor, settings: Settings, *, allowed: bool) -> None:
    """Check the open dossiers of the running dev server, supervising the stack meanwhile (a
    signal stops it, a crash is reported), and say what was found, if anything.

    Stuck dossiers stop ``up`` unless ``allowed`` (``--allow-stuck-dossiers``): a stack whose
    worker spends itself failing the same tasks looks alive, and a demo run on it misleads
    (slow, lagging, and its numbers wrong) while the cause is scrolled away in the log. The
    fix is one ``mv``, which the message gives. A check that cannot be made never stops it.

    Raises:
        StuckDossiers: some are stuck, and ``allowed`` is false.
        motcua.stack.Stopping: a stop signal arrived.
    """
    outcome: list[Findings | Unchecked] = []
    checking = threading.Thread(
        target=lambda: outcome.append(check_open_dossiers(settings)), daemon=True
    )
    checking.start()
    supervisor.run(until=lambda: not checking.is_alive())
    [found] = outcome
    if isinstance(found, Unchecked):
        supervisor.say(
            f"could not check the dossiers open in {settings.var_dir}/ ({found.reason}); "
            "starting the worker anyway"
        )
        return
    for line in report(found, settings.var_dir, starting_anyway=allowed):
        supervisor.print(line)
    if found.stuck and not allowed:
        raise StuckDossiers


def check_open_dossiers(settings: Settings) -> Findings | Unchecked:
    """Replay a sample of the dossiers open on the engine's task queue, within
    :data:`BUDGET_SECONDS`; never raises."""
    try:
        return asyncio.run(asyncio.wait_for(_check(settings), BUDGET_SECONDS + RPC_SECONDS))
    except TimeoutError:
        return Unchecked(f"Temporal did not answer within {BUDGET_SECONDS:.0f} s")
    except Exception as error:  # one line for the operator, whatever went wrong
        return Unchecked(_first_line(error))


async def _check(settings: Settings) -> Findings:
    from motcua.engine import connect

    deadline = time.monotonic() + BUDGET_SECONDS
    client = await _connected(lambda: connect(settings))
    return await find_stuck(
        client,
        task_queue=settings.task_queue,
        sandboxed=settings.workflow_sandbox,
        deadline=deadline,
    )


async def _connected(connect: Callable[[], Awaitable[Client]]) -> Client:
    give_up = time.monotonic() + CONNECT_SECONDS
    while True:
        try:
            return await asyncio.wait_for(connect(), RPC_SECONDS)
        except (RuntimeError, TimeoutError):
            if time.monotonic() > give_up:
                raise
            await asyncio.sleep(0.5)


async def find_stuck(
    client: Client, *, task_queue: str, sandboxed: bool, deadline: float
) -> Findings:
    """Replay a sample of the running workflows of ``task_queue`` as the engine's worker would.

    Every running workflow of the queue, not only those of motcua's current types: one whose
    type was renamed since is as stuck as one whose commands changed. A replay that fails in
    any way counts as stuck, as the worker fails that dossier's tasks the same way for ever.
    Replays stop at ``deadline`` (``time.monotonic()``): ``checked`` says how many were made.
    """
    query = f'TaskQueue = "{task_queue}" AND ExecutionStatus = "Running"'
    timeout = timedelta(seconds=RPC_SECONDS)
    count = (await client.count_workflows(query, rpc_timeout=timeout)).count
    if count == 0:  # a restart with nothing open: no replayer, no worker module loaded
        return Findings(open=0, checked=0, stuck=())
    # The dev server's SQLite visibility lists running workflows newest first.
    listing = client.list_workflows(query, limit=LISTED_AT_MOST, rpc_timeout=timeout)
    ids = [execution.id async for execution in listing]
    sample = list(dict.fromkeys(ids[:NEWEST] + ids[NEWEST:][-OLDEST:]))
    histories = await asyncio.gather(
        *(client.get_workflow_handle(i).fetch_history(rpc_timeout=timeout) for i in sample)
    )
    return await _replayed(client, histories, count=count, sandboxed=sandboxed, deadline=deadline)


async def _replayed(
    client: Client,
    histories: list[WorkflowHistory],
    *,
    count: int,
    sandboxed: bool,
    deadline: float,
) -> Findings:
    from temporalio.runtime import Runtime, TelemetryConfig

    from worker import engine_replayer  # loaded only when something is open: about 2 s

    async def each() -> AsyncIterator[WorkflowHistory]:
        for history in histories:
            if time.monotonic() > deadline:
                return
            yield history

    checked, stuck = 0, []
    # The core warns of every failed replay on its own; `up` says it once, in a sentence.
    quiet = Runtime(telemetry=TelemetryConfig(logging=None, metrics=None))
    replayer = engine_replayer(client, sandboxed=sandboxed, runtime=quiet)
    async with replayer.workflow_replay_iterator(each()) as results:
        async for result in results:
            checked += 1
            if result.replay_failure is not None:
                stuck.append(Stuck(result.history.workflow_id, _reason(result.replay_failure)))
    return Findings(open=count, checked=checked, stuck=tuple(stuck))


def _reason(failure: Exception) -> str:
    """The core's complaint without its wrapping (``... Failure { message: "[TMPRL1100]
    Nondeterminism error: No command scheduled for event ...", source: ...``), cut short."""
    text = str(failure)
    if quoted := _CORE_MESSAGE.search(text):
        text = quoted[1]
    text = " ".join(text.replace("Nondeterminism error:", "nondeterminism:").split())
    return text if len(text) <= REASON_CHARS else text[: REASON_CHARS - 1] + "…"


def _first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def report(findings: Findings, var_dir: Path, *, starting_anyway: bool) -> list[str]:
    """What ``up`` prints: nothing when every dossier checked can be continued."""
    if not findings.stuck:
        return []
    first = findings.stuck[0]
    var = f"{var_dir}/"
    found = (
        f"{var} holds {findings.open} open dossier{'s' if findings.open != 1 else ''}; "
        f"{len(findings.stuck)} of {findings.checked} checked "
        f"{'was' if len(findings.stuck) == 1 else 'were'} recorded by an engine this "
        f"version cannot continue (first: {first.workflow_id}: {first.reason})."
    )
    if starting_anyway:
        return [
            f"warning: {found}",
            "Starting anyway (--allow-stuck-dossiers): the worker's log will show their tasks "
            "failing, again and again.",
        ]
    return [
        f"error: {found}",
        f"Start afresh by moving {var} away (e.g. mv {var_dir} {var_dir}.old), or run the "
        "commit that filed them; --allow-stuck-dossiers starts anyway.",
    ]
