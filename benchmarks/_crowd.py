"""Simulated officers and citizens of the fault and latency benchmarks, acting only through the
API and the payment simulator, as people would."""

from __future__ import annotations

import asyncio
import random
import time
from urllib.parse import quote

import httpx

from benchmarks._stack import People

# (role, outcome, officer): approval by another officer than the review (the four-eyes rule).
OFFICERS = [
    ("one-stop-officer", "accept", "lan"),
    ("residence-officer", "approve", "hoa"),
    ("police-chief", "approve", "chief-minh"),
]


async def officers(
    people: People, round_trips: list[tuple[float, float]] | None = None, *, claim: bool = True
) -> None:
    """Every open task claimed and decided, round after round; a refusal is tried again later.
    With ``round_trips``, the seconds of each successful claim and of its decision are appended
    to it. Without ``claim``, each task is decided at once (one request: the decision claims)."""
    while True:
        for role, outcome, name in OFFICERS:
            try:
                for task in await people.tasks(role):
                    began = time.perf_counter()
                    status = await people.claim(role, task["task_id"], name) if claim else 200
                    claimed = time.perf_counter()
                    if status == 200:
                        status = await people.decide(role, task["task_id"], outcome, name)
                    if status == 200 and round_trips is not None:
                        round_trips.append((claimed - began, time.perf_counter() - claimed))
            except httpx.HTTPError:
                pass  # the API or the engine is down for a moment: next round
        await asyncio.sleep(0.5)


async def payers(people: People, payments: str, rng: random.Random, twice: float) -> None:
    """Each fee paid at the platform once the citizen's dossier waits for it; a share ``twice``
    of them paid a second time (another transaction), as a double click would."""
    paid: set[str] = set()
    async with httpx.AsyncClient(base_url=payments, timeout=30) as platform:
        while True:
            try:
                waiting = await people.http.get(
                    "/v1/dossiers",
                    params={"status": "awaiting_payment", "limit": 200},
                    headers=people.citizen(),
                )
                waiting.raise_for_status()
            except httpx.HTTPError:
                await asyncio.sleep(1)
                continue
            for code in [d["code"] for d in waiting.json()["items"] if d["code"] not in paid]:
                order = f"/v1/payment-requests/{quote(f'{code}-FEE', safe='')}/pay"
                times = 2 if rng.random() < twice else 1
                try:
                    for n in range(times):
                        pay = {"transaction_id": f"{code}-tx{n}"}
                        (await platform.post(order, json=pay)).raise_for_status()
                except httpx.HTTPError:
                    continue  # not yet asked for at the platform: next round
                paid.add(code)
            await asyncio.sleep(0.5)
