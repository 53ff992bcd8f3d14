"""Webhook deliveries go to public addresses only, to the address that was checked, follow no
redirect and keep nothing of an answer but its status: observed on a real receiver on
127.0.0.1, which production's rule (loopback refused) must never reach."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session, sessionmaker
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from motcua.outbox import Claim, IPAddress, WebhookSender, create_webhook
from motcua.simulators import serving
from tests.outbox.conftest import Receiver, deliveries, dispatcher, drain, project_lives
from tests.store.factories import Dossier

# Ways to write "this machine" that a resolver (inet_aton, /etc/hosts) reads as loopback.
LOOPBACK_SPELLINGS = [
    "127.0.0.1",
    "127.1",
    "2130706433",
    "0x7f000001",
    "0177.0.0.1",
    "localhost",
    "[::ffff:127.0.0.1]",
]


def _subscribe(sessions: sessionmaker[Session], url: str) -> str:
    with sessions.begin() as session:
        row = create_webhook(session, owner_id="portal-a", url=url, event_types=[], agencies=[])
        return row.id


@pytest.mark.parametrize("host", LOOPBACK_SPELLINGS)
async def test_without_the_test_setting_no_spelling_of_loopback_is_delivered(
    sessions: sessionmaker[Session], receiver: Receiver, host: str
) -> None:
    port = receiver.url.rsplit(":", 1)[1]
    # Stored directly: a row from before the registration check, or a name that resolves here.
    _subscribe(sessions, f"http://{host}:{port}/hooks/a")
    project_lives(sessions, [Dossier("000.00.01.H29-260115-0001")], types=("dossier.submitted",))

    async with dispatcher(sessions, allow_loopback=False) as d:
        await drain(d, until=lambda: bool(deliveries(sessions, "parked")))

    assert receiver.accepted == [] and receiver.refused == []
    (parked,) = deliveries(sessions, "parked")
    assert parked.attempts == 1  # refused at once, not retried against the same address
    error = parked.last_error or ""
    assert error.startswith("refused: ") and ("loopback" in error or "IPv4-mapped" in error)


async def test_with_the_test_setting_the_loopback_receiver_gets_its_events(
    sessions: sessionmaker[Session], receiver: Receiver
) -> None:
    port = receiver.url.rsplit(":", 1)[1]
    _subscribe(sessions, f"http://127.1:{port}/hooks/a")
    project_lives(sessions, [Dossier("000.00.01.H29-260115-0001")], types=("dossier.submitted",))

    async with dispatcher(sessions, allow_loopback=True) as d:
        await drain(d)

    assert [r.event["type"] for r in receiver.accepted] == ["dossier.submitted"]


class Portal:
    """A receiver that answers as told per path, remembering every request that reached it."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str]] = []  # (path, Host header)

    def app(self) -> Starlette:
        async def hook(request: Request) -> Response:
            self.seen.append((request.url.path, request.headers["host"]))
            name = request.path_params["name"]
            if name == "moved":
                return RedirectResponse("/hooks/elsewhere", status_code=307)
            if name == "broken":
                return PlainTextResponse("db password=hunter2 at 10.0.0.5", status_code=500)
            return Response(status_code=204)

        return Starlette(routes=[Route("/hooks/{name}", hook, methods=["POST"])])


@pytest.fixture
def portal() -> Iterator[tuple[Portal, int]]:
    found = Portal()
    with serving(found.app()) as url:
        yield found, int(url.rsplit(":", 1)[1])


def _claim(url: str) -> Claim:
    now = datetime.now(UTC)
    event = Dossier("000.00.01.H29-260115-0001").submitted()
    return Claim(
        delivery_id=1,
        subscription_id="wh_test",
        target="webhook",
        url=url,
        secret="whsec_test",
        dossier_code=event.dossier_code,
        attempts=0,
        leased_until=now,
        announced_at=now,
        event=event,
    )


async def test_the_checked_address_is_connected_to_with_the_name_in_the_host_header(
    portal: tuple[Portal, int],
) -> None:
    receiver, port = portal
    looked_up: list[str] = []

    async def resolver(host: str, _: int) -> list[IPAddress]:
        looked_up.append(host)
        return [ipaddress.ip_address("127.0.0.1")]

    # ".invalid" never resolves (RFC 6761): reaching the receiver proves no second look-up.
    sender = WebhookSender(allow_loopback=True, resolver=resolver)
    try:
        outcome = await sender.send(_claim(f"http://portal.invalid:{port}/hooks/a"))
    finally:
        await sender.aclose()

    assert outcome.ok, outcome.error
    assert looked_up == ["portal.invalid"]
    assert receiver.seen == [("/hooks/a", f"portal.invalid:{port}")]


async def test_a_name_resolving_inside_is_refused_before_any_connection(
    portal: tuple[Portal, int],
) -> None:
    receiver, port = portal

    async def resolver(host: str, _: int) -> list[IPAddress]:
        return [ipaddress.ip_address("127.0.0.1")]

    sender = WebhookSender(allow_loopback=False, resolver=resolver)
    try:
        outcome = await sender.send(_claim(f"http://portal.invalid:{port}/hooks/a"))
    finally:
        await sender.aclose()

    assert not outcome.ok and not outcome.retryable
    assert outcome.error == "refused: portal.invalid resolves to 127.0.0.1, a loopback address"
    assert receiver.seen == []


async def test_redirects_are_not_followed_and_answers_are_not_kept(
    portal: tuple[Portal, int],
) -> None:
    receiver, port = portal
    sender = WebhookSender(allow_loopback=True)
    try:
        moved = await sender.send(_claim(f"http://127.0.0.1:{port}/hooks/moved"))
        broken = await sender.send(_claim(f"http://127.0.0.1:{port}/hooks/broken"))
    finally:
        await sender.aclose()

    assert (moved.ok, moved.error) == (False, "HTTP 307")
    assert (broken.ok, broken.error) == (False, "HTTP 500")  # not the body's "password=…"
    assert [path for path, _ in receiver.seen] == ["/hooks/moved", "/hooks/broken"]
