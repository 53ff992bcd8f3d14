"""The chaos run's books: what the read model, the event log and the payment platform say
about the dossiers filed, once the run has drained."""

from __future__ import annotations

import json
import subprocess
from collections import Counter
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx
import sqlalchemy as sa

from motcua.binaries import temporal_cli
from motcua.dossier._inputs import TERMINAL_STATUSES
from motcua.store._tables import EventRow, TaskCountRow
from motcua.store._task_counts import counted_tasks


@dataclass
class Books:
    submitted: int = 0
    terminal: int = 0
    stuck: int = 0
    lost: int = 0
    duplicate_events: int = 0
    seq_gaps: int = 0
    charged: int = 0  # payments the platform took
    fee_paid: int = 0  # fee.paid events in the log
    refunds: int = 0  # fee.refunded events in the log
    double_charges: int = 0  # dossiers charged more than once and not refunded the extra
    count_drift: int = 0  # (agency, role, status) whose kept inbox count is not the tasks'

    def figures(self) -> dict[str, int]:
        return dict(vars(self))


def _fingerprint(row: EventRow) -> str:
    """An event without its identity and time: the same fact recorded twice has the same one."""
    facts = (row.type, row.step_id, row.outcome, row.actor_id, row.handed_to, row.data)
    return json.dumps(facts, sort_keys=True, default=str)


def event_books(database_url: str, codes: list[str], books: Books) -> dict[str, Counter[str]]:
    """Duplicates and sequence gaps of each dossier's log; its event types counted."""
    engine = sa.create_engine(database_url)
    kinds: dict[str, Counter[str]] = {code: Counter() for code in codes}
    with engine.connect() as db:
        rows = db.execute(sa.select(EventRow).where(EventRow.dossier_code.in_(codes))).all()
    engine.dispose()
    by_dossier: dict[str, list[Any]] = {}
    for row in rows:
        by_dossier.setdefault(row.dossier_code, []).append(row)
    for code, events in by_dossier.items():
        seqs = sorted(e.seq for e in events)
        # One dossier's log counts 1, 2, 3, … (its first event may be seq 0 or 1).
        books.seq_gaps += (seqs[-1] - seqs[0] + 1) - len(set(seqs))
        prints = Counter(_fingerprint(e) for e in events)
        books.duplicate_events += sum(n - 1 for n in prints.values())
        kinds[code].update(e.type for e in events)
    return kinds


def count_books(database_url: str, books: Books) -> None:
    """The inbox's kept counts (``task_counts``, written by the projector beside each task)
    against a count of the tasks themselves: a batch projected twice, or half, after a kill
    would show here."""
    engine = sa.create_engine(database_url)
    with engine.connect() as db:
        counted = {(r.agency, r.role, r.status): r.tasks for r in db.execute(counted_tasks())}
        kept = {
            (r.agency, r.role, r.status): r.tasks
            for r in db.execute(sa.select(TaskCountRow.__table__))
        }
    engine.dispose()
    keys = set(counted) | set(kept)
    books.count_drift = sum(counted.get(k, 0) != kept.get(k, 0) for k in keys)


async def payment_books(payments_url: str, kinds: dict[str, Counter[str]], books: Books) -> None:
    """Payments charged at the platform against the log's fee.paid and fee.refunded."""
    async with httpx.AsyncClient(base_url=payments_url, timeout=30) as platform:
        for code, kind in kinds.items():
            books.fee_paid += kind["fee.paid"]
            books.refunds += kind["fee.refunded"]
            answer = await platform.get(f"/v1/payment-requests/{quote(f'{code}-FEE', safe='')}")
            if answer.status_code == 404:
                continue
            charged = len(answer.json()["payments"])
            books.charged += charged
            if charged - kind["fee.refunded"] > 1:
                books.double_charges += 1


def status_books(statuses: dict[str, str | None], books: Books) -> list[str]:
    """Terminal, stuck (readable but not finished) and lost (not readable at all); returns
    the stuck dossiers' codes."""
    books.submitted = len(statuses)
    stuck = []
    for code, status in statuses.items():
        if status is None:
            books.lost += 1
        elif status in TERMINAL_STATUSES:
            books.terminal += 1
        else:
            stuck.append(code)
    books.stuck += len(stuck)
    return stuck


def stuck_details(database_url: str, temporal_address: str, codes: list[str]) -> list[str]:
    """For each dossier not finished: its status, its last events, and what its workflow still
    waits on at Temporal (pending activities, the workflow's own status), one line each, so a
    stuck dossier can be told from a slow one and followed up."""
    engine = sa.create_engine(database_url)
    lines = []
    with engine.connect() as db:
        for code in codes:
            events = db.execute(
                sa.select(EventRow.type, EventRow.step_id, EventRow.workflow_id, EventRow.seq)
                .where(EventRow.dossier_code == code)
                .order_by(EventRow.seq.desc())
                .limit(4)
            ).all()
            last = ", ".join(f"{e.seq}:{e.type}@{e.step_id}" for e in reversed(events))
            workflow = _describe(temporal_address, events[0].workflow_id) if events else "-"
            lines.append(f"stuck: {code} last events [{last}] workflow {workflow}")
    engine.dispose()
    return lines


def _describe(address: str, workflow_id: str) -> str:
    command = [temporal_cli(), "workflow", "describe", "--address", address, "-w", workflow_id]
    try:
        out = subprocess.run([*command, "-o", "json"], capture_output=True, text=True, timeout=30)
        found = json.loads(out.stdout)
    except (subprocess.SubprocessError, ValueError) as exc:
        return f"not described ({exc})"
    info = found.get("workflowExecutionInfo", {})
    pending = [
        f"{a.get('activityType', {}).get('name')} attempt {a.get('attempt')} {a.get('state')}"
        f" {a.get('lastFailure', {}).get('message', '')}".strip()
        for a in found.get("pendingActivities", [])
    ]
    return f"{info.get('status')} pending={pending}"
