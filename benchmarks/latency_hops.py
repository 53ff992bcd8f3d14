"""Where an officer's claim + decision spends its time, hop by hop.

``motcua up`` runs as in ``benchmarks.latency``; dossiers are filed through its API and their fees
paid at the payment simulator. Beside it, this process serves a second copy of the API, built the
way ``motcua api`` builds it (same settings, read model and Temporal namespace), whose hops are
timed: the token (``read_token``), the read-model reads (``visible_task``, ``officer_inbox``), the
decision record (``store_decision``), the workflow update (``Dossier._update``) and the whole
request inside the ASGI app. Every open task is claimed and decided through that copy, one at a
time; the client's own time minus the app's is HTTP (both ends). Each update is then split with
its dossier's Temporal history: API sent → its workflow task scheduled → started (a worker
polled it) → completed (the update accepted and answered; local activities such as the
read-model projection run before) → the API has the answer. One machine, one clock.

``--rate`` files dossiers in the background (the load of ``benchmarks.latency``); ``--rate 0``
files ``--dossiers`` of them first and measures with no filing going on. It checks nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import statistics
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from functools import wraps
from typing import Any

import httpx
from sqlalchemy import select
from temporalio.api.enums.v1 import EventType

from benchmarks._crowd import OFFICERS, payers
from benchmarks._stack import People, result_line, running_stack
from benchmarks.latency import file_at
from motcua.api import _auth, _inbox, build_context, create_app, serving_api
from motcua.engine import _dossier
from motcua.settings import Settings
from motcua.store import DossierRow

HOPS: ContextVar[dict[str, float] | None] = ContextVar("hops", default=None)
# (workflow id, wall clock when the API sent the update, when its answer came back)
UPDATES: list[tuple[str, float, float]] = []


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.latency_hops", description=__doc__)
    parser.add_argument("--rate", type=float, default=0.0, help="dossiers filed per second")
    parser.add_argument("--dossiers", type=int, default=8, help="with --rate 0: filed first")
    parser.add_argument("--seconds", type=float, default=90, help="how long to measure")
    return parser.parse_args(argv)


@contextlib.contextmanager
def hop(name: str) -> Iterator[None]:
    began = time.perf_counter()
    try:
        yield
    finally:
        if (hops := HOPS.get()) is not None:
            hops[name] = hops.get(name, 0.0) + time.perf_counter() - began


def timed_sync(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(function)
    def run(*args: Any, **kwargs: Any) -> Any:
        with hop(name):
            return function(*args, **kwargs)

    return run


def timed_async(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(function)
    async def run(*args: Any, **kwargs: Any) -> Any:
        with hop(name):
            return await function(*args, **kwargs)

    return run


def instrument() -> None:
    """Time the hops of the API copy served in this process (module globals it looks up)."""
    _auth.read_token = timed_sync("token", _auth.read_token)
    _inbox.visible_task = timed_sync("read model", _inbox.visible_task)
    _inbox.officer_inbox = timed_sync("inbox query", _inbox.officer_inbox)
    _inbox.store_decision = timed_async("decision record", _inbox.store_decision)
    update = timed_async("temporal update", _dossier.Dossier._update)

    async def sent(self: _dossier.Dossier, *args: Any) -> Any:
        began = time.time()
        try:
            return await update(self, *args)
        finally:
            UPDATES.append((self.workflow_id, began, time.time()))

    _dossier.Dossier._update = sent  # type: ignore[method-assign]


class Timed:
    """ASGI wrapper: a fresh hop record per request, and the time inside the app."""

    def __init__(self, app: Any, requests: list[dict[str, float]]) -> None:
        self.app, self.requests = app, requests

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        hops: dict[str, float] = {}
        token = HOPS.set(hops)
        try:
            with hop("in app"):
                await self.app(scope, receive, send)
        finally:
            HOPS.reset(token)
            path = scope["path"]
            kind = "claim" if path.endswith("/claim") else "decision"
            hops["kind"] = kind if scope["method"] == "POST" else "inbox page"  # type: ignore[assignment]
            self.requests.append(hops)


def settings_of(environ: dict[str, str]) -> Settings:
    for name, value in environ.items():
        if name.startswith("MOTCUA_"):
            os.environ[name] = value
    return Settings()


async def engine_split(client: Any, workflow_ids: set[str]) -> dict[str, list[float]]:
    """From each dossier's history: per update, accepted → completed; per workflow task,
    scheduled → started (waiting for a poll) and started → completed (on the worker)."""
    split: dict[str, list[float]] = defaultdict(list)
    for workflow_id in workflow_ids:
        history = await client.get_workflow_handle(workflow_id).fetch_history()
        accepted: dict[str, float] = {}
        sent = iter(sorted((b, e) for w, b, e in UPDATES if w == workflow_id))
        scheduled = started = 0.0
        for event in history.events:
            at = event.event_time.ToDatetime().timestamp()
            kind = event.event_type
            if kind == EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED:
                scheduled = at
            elif kind == EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED:
                started = at
                split["workflow task: waiting for a poll"].append(at - scheduled)
            elif kind == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
                split["workflow task: on the worker"].append(at - started)
            elif kind == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
                attrs = event.workflow_execution_update_accepted_event_attributes
                accepted[attrs.protocol_instance_id] = at
                name = attrs.accepted_request.input.name
                split[f"update {name}: its workflow task waited for a poll"].append(
                    started - scheduled
                )
                split[f"update {name}: its workflow task on the worker"].append(at - started)
                if name in ("claim", "decide") and (api := next(sent, None)):
                    split[f"update {name}: API sent → its task scheduled"].append(
                        scheduled - api[0]
                    )
                    split[f"update {name}: task completed → API answered"].append(api[1] - at)
            elif kind == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED:
                attrs = event.workflow_execution_update_completed_event_attributes
                began = accepted.get(attrs.meta.update_id)
                if began is not None:
                    split["update: accepted → completed"].append(at - began)
    return split


async def decide_all(people: People, round_trips: list[dict[str, Any]]) -> None:
    """Claim and decide every open task, one at a time, each request timed from the client."""
    while True:
        for role, outcome, name in OFFICERS:
            try:
                for task in await people.tasks(role):
                    headers = people.officer(role, name)
                    path = f"/v1/tasks/{task['task_id']}"
                    began = time.perf_counter()
                    claimed = await people.http.post(f"{path}/claim", headers=headers)
                    between = time.perf_counter()
                    body = {"outcome": outcome}
                    decided = await people.http.post(f"{path}/decision", json=body, headers=headers)
                    if claimed.status_code == decided.status_code == 200:
                        ended = time.perf_counter()
                        trip = {"claim": between - began, "decision": ended - between}
                        round_trips.append(trip | {"step": task["step"]})
            except httpx.HTTPError:
                pass
        await asyncio.sleep(0.2)


def table(title: str, rows: dict[str, list[float]]) -> str:
    lines = [f"{title:<58} {'n':>4} {'p50 ms':>8} {'p90 ms':>8} {'mean ms':>8}"]
    for name, values in rows.items():
        if not values:
            continue
        ms = sorted(v * 1000 for v in values)
        p90 = ms[min(len(ms) - 1, int(len(ms) * 0.9))]
        lines.append(
            f"{name:<58} {len(ms):>4} {statistics.median(ms):>8.1f} {p90:>8.1f} "
            f"{statistics.fmean(ms):>8.1f}"
        )
    return "\n".join(lines)


async def run(args: argparse.Namespace) -> str:
    instrument()
    requests: list[dict[str, float]] = []
    round_trips: list[dict[str, Any]] = []
    with running_stack() as stack:
        payments = stack.wait_for(r"^payment simulator\s+(http://\S+?)/docs")[1]
        context = build_context(settings_of(stack.environ))
        app = Timed(create_app(context), requests)
        async with (
            serving_api(app) as copy_url,  # type: ignore[arg-type]
            httpx.AsyncClient(base_url=stack.api_url, timeout=60) as real,
            httpx.AsyncClient(base_url=copy_url, timeout=60) as timed,
        ):
            citizens = People(real)
            filed: list[str] = []
            background = [asyncio.create_task(payers(citizens, payments, random.Random(3), 0.0))]
            if args.rate > 0:
                background.append(asyncio.create_task(file_at(citizens, args.rate, filed)))
            else:
                for _ in range(args.dossiers):
                    filed.append(await citizens.submit())
            officers = asyncio.create_task(decide_all(People(timed), round_trips))
            await asyncio.sleep(args.seconds)
            for task in [*background, officers]:
                task.cancel()
            await asyncio.gather(*background, officers, return_exceptions=True)
            assert context.client is not None
            with context.reads() as session:
                rows = session.scalars(select(DossierRow.workflow_id)).all()
            split = await engine_split(context.client, set(rows))
    by_hop: dict[str, list[float]] = defaultdict(list)
    for request in requests:
        kind = request.pop("kind")
        for name, seconds in request.items():
            by_hop[f"{kind}: {name}"].append(seconds)
        inside = sum(v for k, v in request.items() if k != "in app")
        by_hop[f"{kind}: rest of the app (routing, validation, answer)"].append(
            request["in app"] - inside
        )
    client: dict[str, list[float]] = defaultdict(list)
    for trip in round_trips:
        client[f"claim + decision ({trip['step']})"].append(trip["claim"] + trip["decision"])
        client["claim + decision (all)"].append(trip["claim"] + trip["decision"])
        client["claim (client)"].append(trip["claim"])
        client["decision (client)"].append(trip["decision"])
    print(table("API copy, per request", dict(sorted(by_hop.items()))))
    print(table("client, per round trip", client))
    print(table("Temporal history", split))
    all_trips = sorted((t["claim"] + t["decision"]) * 1000 for t in round_trips)
    return result_line(
        rate=args.rate,
        decisions=len(all_trips),
        p50_ms=statistics.median(all_trips) if all_trips else 0.0,
        loadavg=open("/proc/loadavg").read().split()[0],
    )


def main(argv: list[str] | None = None) -> None:
    print(asyncio.run(run(parse_args(argv))), flush=True)


if __name__ == "__main__":
    main()
