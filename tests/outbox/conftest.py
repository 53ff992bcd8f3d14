"""The outbox tests' world: a migrated store (SQLite and PostgreSQL), dossiers whose events are
projected as the workers do, and a real webhook receiver on loopback that can be told to fail."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from adapters.signing import verify
from motcua.outbox import Dispatcher
from motcua.settings import Settings
from motcua.simulators import serving
from motcua.store import DeliveryRow, make_engine, migrate, project, session_factory
from tests.store.factories import Dossier

# A dossier's life in events, the facts each type needs, and the status the fold gives after it.
LIFE = (
    "dossier.submitted",
    "step.started",
    "dossier.accepted",
    "dossier.supplement_requested",
    "dossier.supplement_received",
    "dossier.completed",
)
FACTS: dict[str, dict[str, Any]] = {
    "step.started": {"step_id": "receive", "step_kind": "receipt"},
    "dossier.supplement_requested": {
        "step_id": "receive",
        "missing_documents": ["ct01"],
        "request_number": 1,
    },
    "dossier.supplement_received": {"step_id": "receive", "step_kind": "receipt"},
}
STATUS_AFTER = {
    "dossier.submitted": "submitted",
    "step.started": "awaiting_receipt",
    "dossier.accepted": "awaiting_receipt",
    "dossier.supplement_requested": "awaiting_supplement",
    "dossier.supplement_received": "awaiting_receipt",
    "dossier.completed": "completed",
}


@pytest.fixture
def sessions(store_url: str) -> Iterator[sessionmaker[Session]]:
    migrate(store_url)
    engine = make_engine(store_url)
    yield session_factory(engine)
    engine.dispose()


def project_lives(
    sessions: sessionmaker[Session], dossiers: list[Dossier], types: tuple[str, ...] = LIFE
) -> None:
    """Project each dossier's events one transaction at a time, the dossiers interleaved, as the
    engine's store activity does."""
    for type_ in types:
        for dossier in dossiers:
            if type_ == "dossier.submitted":
                event = dossier.submitted()
            else:
                event = dossier.event(type_, **FACTS.get(type_, {}))
            with sessions.begin() as session:
                project(session, events=[event])


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def payload(self) -> dict[str, Any]:
        parsed: dict[str, Any] = json.loads(self.body)
        return parsed

    @property
    def event(self) -> dict[str, Any]:
        event: dict[str, Any] = self.payload["event"]
        return event


@dataclass
class Receiver:
    """A portal's webhook endpoint: ``POST /hooks/{name}`` answers 204, or 503 for the dossiers
    in ``failing``; ``accepted`` keeps what it answered 2xx to, in arrival order."""

    url: str = ""
    accepted: list[Received] = field(default_factory=list)
    refused: list[Received] = field(default_factory=list)
    failing: set[str] = field(default_factory=set)

    def hook(self, name: str = "a") -> str:
        return f"{self.url}/hooks/{name}"

    def seqs(self, dossier: str, name: str | None = None) -> list[int]:
        return [
            r.event["seq"]
            for r in self.accepted
            if r.event["dossier_code"] == dossier and (name is None or r.path.endswith(f"/{name}"))
        ]

    def types(self, name: str) -> list[str]:
        return [r.event["type"] for r in self.accepted if r.path.endswith(f"/{name}")]

    def app(self) -> Starlette:
        async def receive(request: Request) -> Response:
            got = Received(request.url.path, dict(request.headers), await request.body())
            if got.event["dossier_code"] in self.failing:
                self.refused.append(got)
                return JSONResponse({"error": "down for this dossier"}, status_code=503)
            self.accepted.append(got)
            return Response(status_code=204)

        return Starlette(routes=[Route("/hooks/{name}", receive, methods=["POST"])])


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found = Receiver()
    with serving(found.app()) as url:
        found.url = url
        yield found


def signed_by(secret: str, received: Received) -> bool:
    verify(secret, received.body, received.headers, path=received.path)  # or BadSignature
    return True


def dispatcher(
    sessions: sessionmaker[Session],
    *,
    max_attempts: int = 8,
    allow_loopback: bool = True,
    **options: Any,
) -> Dispatcher:
    """A dispatcher whose retries come after milliseconds instead of seconds; it delivers to
    the loopback receiver unless ``allow_loopback`` is off, as in production."""
    settings = Settings(
        environment="test",
        outbox_max_attempts=max_attempts,
        outbox_poll_seconds=0.05,
        webhook_allow_loopback=allow_loopback,
    )
    return Dispatcher(
        sessions, settings=settings, retry_base=0.005, retry_cap=0.02, seed=7, **options
    )


async def drain(
    dispatchers: Dispatcher | list[Dispatcher],
    until: Callable[[], bool] | None = None,
    *,
    passes: int = 400,
) -> None:
    """Run passes (all dispatchers at once) until ``until()`` holds, or no delivery is pending
    when ``until`` is None. Fails after ``passes`` passes."""
    group = dispatchers if isinstance(dispatchers, list) else [dispatchers]
    sessions = group[0]._sessions
    for _ in range(passes):
        await asyncio.gather(*(d.run_once() for d in group))
        if until is not None and until():
            return
        if until is None and not _pending(sessions):
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"not done after {passes} passes")


def _pending(sessions: sessionmaker[Session]) -> bool:
    with sessions() as session:
        found = session.scalar(select(DeliveryRow.id).where(DeliveryRow.status == "pending"))
    return found is not None


def deliveries(sessions: sessionmaker[Session], status: str) -> list[DeliveryRow]:
    with sessions() as session:
        return list(
            session.scalars(
                select(DeliveryRow).where(DeliveryRow.status == status).order_by(DeliveryRow.id)
            )
        )
