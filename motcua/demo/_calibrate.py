"""Calibration before the first arrival: how late does this machine make a task, right now?

The governor (``_clock.py``) can only slow the clock for dossiers filed after it acts, so any
dossier filed before it has seen enough lags runs at a speed the machine may not hold, and must
be left out of the figures. So before the office opens the demo files a few probe dossiers,
times each from its submission to its receipt task in the read model (the same task lag the
governor watches), withdraws them, and starts the clock at the speed that lag allows.

The first round is a warm-up: a fresh worker's first workflow tasks pay for imports and its
sandbox, which no later task does. Probes run on real time (scale 1) and are filed before the
run's figures begin, so they are in no figure of the demo.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker
from temporalio.client import Client

from motcua.dossier import WithdrawInput
from motcua.engine import CommandRefused, Dossier
from motcua.store import list_tasks

POLL_SECONDS = 0.05

# Files probe number ``n``; returns its workflow id and the instant the submission was sent.
ProbeFiler = Callable[[int], Awaitable[tuple[str, datetime]]]


@dataclass(frozen=True)
class Calibration:
    """The lags the probes measured (real seconds, the warm-up round left out)."""

    lags: list[float]
    warmup: list[float]

    @property
    def p90(self) -> float | None:
        if not self.lags:
            return None
        ordered = sorted(self.lags)
        return ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]


async def calibrate(
    client: Client,
    sessions: sessionmaker[Session],
    file_probe: ProbeFiler,
    *,
    rounds: int = 3,
    per_round: int = 3,
    timeout: float = 20.0,
) -> Calibration:
    """Measure the task lag with ``rounds`` rounds of ``per_round`` probes filed at once (as
    the office's arrivals and hand-offs overlap); a probe whose task has not appeared within
    ``timeout`` seconds counts as that late (any lag over a second already leaves the clock at
    its floor, so waiting longer would tell nothing more)."""
    measured: list[list[float]] = []
    for first in range(0, rounds * per_round, per_round):
        sent = dict(await asyncio.gather(*(file_probe(first + i) for i in range(per_round))))
        created = await _first_tasks(sessions, set(sent), timeout)
        measured.append(
            [
                (created[w] - at).total_seconds() if w in created else timeout
                for w, at in sent.items()
            ]
        )
        await asyncio.gather(*(_withdraw(client, w) for w in sent))
    return Calibration(lags=[lag for lags in measured[1:] for lag in lags], warmup=measured[0])


async def _first_tasks(
    sessions: sessionmaker[Session], workflows: set[str], timeout: float
) -> dict[str, datetime]:
    """When each of ``workflows`` got its first task, as the read model shows it."""
    loop = asyncio.get_running_loop()
    give_up = loop.time() + timeout
    created: dict[str, datetime] = {}
    while len(created) < len(workflows) and loop.time() < give_up:
        with sessions() as session:  # as an inbox shows them; the demo's own are few
            rows = list_tasks(session, status=("open",), limit=5_000)
        for task in rows:
            if task.workflow_id in workflows and task.workflow_id not in created:
                created[task.workflow_id] = task.created_at
        if len(created) < len(workflows):
            await asyncio.sleep(POLL_SECONDS)
    return created


async def _withdraw(client: Client, workflow_id: str) -> None:
    """The probe's citizen withdraws it, so no officer's inbox keeps it."""
    # A probe already ended (refused at receipt, say) leaves nothing open.
    with contextlib.suppress(CommandRefused):
        await Dossier(client, workflow_id).withdraw(WithdrawInput())
