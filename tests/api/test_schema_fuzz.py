"""A bounded schemathesis run against the served OpenAPI document: whatever it sends, as whichever
caller, the API answers with a readable 4xx or a success — never a 5xx.

The API runs with a real Temporal server and a worker in a thread of its own (schemathesis calls
are synchronous), over a read model holding one real dossier, so reads find something to show."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from concurrent.futures import Future
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from motcua.api import Citizen, Officer, Service, issue_token
from motcua.binaries import start_dev_environment
from motcua.definitions import load_catalog
from tests.api.stack import OWNER, api_stack
from tests.ports import reserve_port

ROOT = Path(__file__).resolve().parents[2]
CALLERS = {
    "anonymous": None,
    "citizen": Citizen(personal_id=OWNER),
    "officer": Officer(id="lan", roles=["one-stop-officer"], agencies=["commune-police"]),
    "service": Service(
        id="portal", scopes=["portal", "population", "consultation"], agencies=["commune-pc"]
    ),
}


def _serve(tmp_path: Path, ready: Future[tuple[str, Any]], stop: threading.Event) -> None:
    async def main() -> None:
        env = await start_dev_environment(port=reserve_port())
        async with env, api_stack(env, load_catalog(ROOT / "procedure_defs"), tmp_path) as api:
            await api.h.submit("1.004222")  # something for reads and commands to find
            ready.set_result((api.url, api.settings))
            while not stop.is_set():
                await asyncio.sleep(0.1)

    try:
        asyncio.run(main())
    except BaseException as exc:
        if not ready.done():
            ready.set_exception(exc)
        raise


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any]]:
    ready: Future[tuple[str, Any]] = Future()
    stop = threading.Event()
    thread = threading.Thread(
        target=_serve, args=(tmp_path_factory.mktemp("fuzz"), ready, stop), daemon=True
    )
    thread.start()
    try:
        yield ready.result(timeout=180)
    finally:
        stop.set()
        thread.join(timeout=60)


def test_no_request_gets_a_server_error(served: tuple[str, Any]) -> None:
    url, api_settings = served
    schema = schemathesis.openapi.from_url(f"{url}/openapi.json")
    headers = {name: _auth(api_settings, principal) for name, principal in CALLERS.items()}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 25  # the whole API, not an empty document

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=25,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,  # the same requests on every run: a failure reproduces
            database=None,
        )
        def no_server_error(case: Any) -> None:
            for caller, auth in headers.items():
                response = case.call(base_url=url, headers=auth, timeout=30)
                assert response.status_code < 500, (
                    f"{case.method} {case.formatted_path} as {caller}: "
                    f"{response.status_code} {response.text[:500]}"
                )
                if response.status_code >= 400:
                    body = response.json()
                    assert {"code", "message", "details"} <= body.keys(), body

        no_server_error()


def _auth(api_settings: Any, principal: Any) -> dict[str, str]:
    if principal is None:
        return {}
    token = issue_token(api_settings, principal, ttl=timedelta(hours=1))
    return {"Authorization": f"Bearer {token}"}
