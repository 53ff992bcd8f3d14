"""The whole stack for API tests: Temporal, the engine and agency workers, fresh simulators, and
the API served over real HTTP on loopback, with tokens for every kind of caller."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from temporalio.testing import WorkflowEnvironment

from adapters import AdaptersConfig
from motcua.api import (
    Citizen,
    Officer,
    Principal,
    Service,
    build_context,
    create_app,
    issue_token,
    serving_api,
)
from motcua.definitions import Catalog
from motcua.settings import DEV_CALLBACK_KEY, Settings
from motcua.simulators import adapters_config
from motcua.store import make_engine
from tests.ports import reserve_port
from tests.workflows.harness import Harness, running_worker

OWNER = "001203004512"  # the harness's applicant
OTHER_CITIZEN = "079190000123"
POPULATION_SYSTEM = "population-db"  # the service id the stack's API takes population changes from


@dataclass
class ApiStack:
    url: str
    h: Harness
    settings: Settings
    http: httpx.AsyncClient

    def token(self, principal: Principal) -> str:
        return issue_token(self.settings, principal, ttl=timedelta(hours=1))

    def auth(self, principal: Principal) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(principal)}"}

    def citizen(self, personal_id: str = OWNER) -> dict[str, str]:
        return self.auth(Citizen(personal_id=personal_id))

    def officer(self, roles: list[str], agencies: list[str], id: str = "") -> dict[str, str]:
        return self.auth(
            Officer(id=id or f"{roles[0]}@{agencies[0]}", roles=roles, agencies=agencies)
        )

    def service(self, id: str, scopes: list[Any], agencies: list[str] = []) -> dict[str, str]:  # noqa: B006
        return self.auth(Service(id=id, scopes=scopes, agencies=agencies))


@asynccontextmanager
async def api_stack(
    env: WorkflowEnvironment,
    catalog: Catalog,
    tmp_path: Path,
    *,
    database_url: str | None = None,
    settings: Mapping[str, Any] | None = None,
    configure: Callable[[dict[str, str]], AdaptersConfig] = adapters_config,
) -> AsyncIterator[ApiStack]:
    """The API on a free loopback port, its payment simulator calling back to it, signed;
    ``configure`` points the adapters at the simulators (see :func:`running_worker`)."""
    port = reserve_port()  # known before it serves: the payment simulator calls back to it
    callback = f"http://127.0.0.1:{port}/v1/callbacks/payment"
    payment_options = {"callback_url": callback, "callback_secret": DEV_CALLBACK_KEY}
    url = database_url or f"sqlite:///{tmp_path / 'motcua.db'}"
    async with running_worker(
        env,
        catalog,
        tmp_path,
        configure=configure,
        database_url=url,
        sim_options={"payment": payment_options},
    ) as h:
        values: dict[str, Any] = {
            "environment": "test",
            "dev_mode": True,
            "database_url": url,
            "var_dir": tmp_path / "var",
            "task_queue": h.task_queue,
            "agency_queue_prefix": h.options.agency_queue_prefix,
            "rating_window_days": 0,
            "population_service_id": POPULATION_SYSTEM,
            "webhook_allow_loopback": True,  # the tests' webhook receivers listen on loopback
            "rate_limit_per_minute": 0,  # tests poll; test_abuse_limits.py holds the limits
        }
        config = Settings(**(values | dict(settings or {})))
        engine = make_engine(url)
        context = build_context(config, engine=engine, catalog=catalog, client=env.client)
        try:
            async with (
                serving_api(create_app(context), port=port) as base,
                httpx.AsyncClient(base_url=base, timeout=30) as http,
            ):
                yield ApiStack(url=base, h=h, settings=config, http=http)
        finally:
            engine.dispose()
