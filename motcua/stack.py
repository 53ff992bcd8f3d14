"""The embedded stack of ``motcua up``: a Temporal dev server persisted under ``var/``, the
simulators with a simulated identity provider the API trusts, a worker and the API."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import signal
import socket
import subprocess
from pathlib import Path

from rich.console import Console
from sqlalchemy.engine import make_url

from motcua.binaries import temporal_cli
from motcua.demo import DemoConfig
from motcua.settings import Settings
from motcua.simulators import adapters_config, ports_from, serving, serving_all
from motcua.simulators.idp import create_app as create_idp
from workflows import _search


class DevServer:
    """``temporal server start-dev`` on loopback, with motcua's search attributes registered."""

    def __init__(self, settings: Settings) -> None:
        host, _, port = settings.temporal_address.rpartition(":")
        self.host, self.port = host or "127.0.0.1", int(port)
        self.ui_port = self.port + 1000  # the Temporal CLI's own convention: 7233 → 8233
        self.db_file = settings.var_dir / "temporal.db"
        self.log_file = settings.var_dir / "temporal.log"
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def ui_url(self) -> str:
        return f"http://{self.host}:{self.ui_port}"

    def start(self) -> None:
        self.db_file.parent.mkdir(parents=True, exist_ok=True)
        attributes = [
            f"--search-attribute={k.name}={_kind(k.indexed_value_type.name)}" for k in _search.ALL
        ]
        command = [
            temporal_cli(), "server", "start-dev",
            "--ip", self.host, "--port", str(self.port), "--ui-port", str(self.ui_port),
            "--db-filename", str(self.db_file), "--log-level", "error", *attributes,
        ]  # fmt: skip
        with Path(self.log_file).open("ab") as log:  # the child keeps its own copy of the fd
            self._process = subprocess.Popen(
                command, stdout=log, stderr=log, start_new_session=True
            )

    async def wait_ready(self, timeout: float = 60) -> None:
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            if self._process is not None and self._process.poll() is not None:
                raise RuntimeError(f"Temporal dev server exited; see {self.log_file}")
            try:
                _, writer = await asyncio.open_connection(self.host, self.port)
                writer.close()
                return
            except OSError:
                if asyncio.get_running_loop().time() > deadline:
                    raise TimeoutError(
                        f"Temporal dev server not reachable on {self.port}"
                    ) from None
                await asyncio.sleep(0.2)

    def stop(self) -> None:
        if self._process is None or self._process.poll() is not None:
            return
        self._process.send_signal(signal.SIGINT)
        try:
            self._process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()


def free_port(host: str) -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def shown_url(url: str) -> str:
    """A database URL fit for a terminal or a log: its password, if any, as ``***``."""
    return make_url(url).render_as_string(hide_password=True)


def _describe_keys(settings: Settings) -> str:
    from motcua.crypto import key_source

    source = key_source(settings)
    return source.describe() if source is not None else "none: payloads in clear"


def _kind(indexed_value_type: str) -> str:
    # The SDK's enum names (KEYWORD, DATETIME) in the CLI's spelling (Keyword, Datetime).
    return indexed_value_type.title()


async def run_stack(settings: Settings, console: Console, *, demo: DemoConfig, wait: bool) -> None:
    """Dev server + worker (+ demo load); stops cleanly on Ctrl-C or when ``wait`` is false."""
    from motcua.api import build_context, create_app, serving_api
    from motcua.crypto import load_keyring, with_development_key
    from motcua.definitions import load_catalog
    from motcua.demo import print_summary, run_demo
    from motcua.engine import connect
    from motcua.outbox import run_dispatcher
    from motcua.store import make_engine, migrate, session_factory
    from worker import run_worker

    settings.token_key(), settings.callback_key(), settings.evidence_key()  # MissingSecret first
    # Payloads are encrypted as in production: the configured keys, or a development key file
    # under var/ that the CLI commands and `motcua codec-server` then find too.
    settings = with_development_key(settings)
    load_keyring(settings)  # a broken key file or variable stops us before anything starts
    # The callback URL must be known before the API listens: pick its port now when it is free.
    api_port = settings.api_port or free_port(settings.api_host)
    server = DevServer(settings)
    server.start()
    stop = asyncio.Event()
    worker: asyncio.Task[None] | None = None
    dispatcher: asyncio.Task[None] | None = None
    servers = contextlib.ExitStack()  # the simulators, in threads
    services = contextlib.AsyncExitStack()  # the API, on this loop
    try:
        config = None
        if settings.simulators:
            ports = ports_from(settings.simulator_base_port)
            # The payment platform confirms to the API's signed callback, as a real one would.
            callback = {
                "callback_url": f"http://{settings.api_host}:{api_port}/v1/callbacks/payment",
                "callback_secret": settings.callback_key(),
            }
            urls = servers.enter_context(serving_all(ports=ports, options={"payment": callback}))
            config = adapters_config(urls)
            demo = dataclasses.replace(demo, payment_url=urls["payment"], platform_calls_back=True)
            for name, url in urls.items():
                console.print(f"{name + ' simulator':<22}{url}/docs")
            # Sign-in takes the real path: the API trusts a (simulated) identity provider.
            idp_port = (
                settings.simulator_base_port + len(ports) if settings.simulator_base_port else 0
            )
            idp = servers.enter_context(serving(create_idp(), port=idp_port))
            if settings.oidc_issuer is None:
                settings = settings.model_copy(update={"oidc_issuer": idp})
            console.print(f"{'identity provider':<22}{idp}/.well-known/openid-configuration")
        await server.wait_ready()
        migrate(settings.database_url)
        worker = asyncio.create_task(run_worker(settings, adapters_config=config, stop=stop))
        dispatcher = asyncio.create_task(
            run_dispatcher(settings, adapters_config=config, stop=stop)
        )
        context = build_context(settings)
        context.client = await connect(settings)
        api_url = await services.enter_async_context(
            serving_api(create_app(context), host=settings.api_host, port=api_port)
        )
        metrics = f"http://{settings.metrics_host}:{settings.metrics_port}/metrics"
        for label, value in (
            ("API", f"{api_url}/docs"),
            ("Temporal UI", server.ui_url),
            ("metrics", metrics),
            ("read model", shown_url(settings.database_url)),
            ("payload keys", _describe_keys(settings)),
            ("task queue", settings.task_queue),
        ):
            console.print(f"{label:<22}{value}")
        if demo.dossiers:
            catalog = load_catalog(settings.procedures_dir)
            engine = make_engine(settings.database_url)
            client = await connect(settings)
            figures = await run_demo(
                client,
                catalog,
                session_factory(engine, read_only=True),
                task_queue=settings.task_queue,
                config=demo,
                console=console,
            )
            print_summary(console, figures)
        if wait:
            console.print("Serving; press Ctrl-C to stop.")
            await asyncio.Event().wait()
    finally:
        stop.set()
        for task in (worker, dispatcher):
            if task is not None:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(task, timeout=30)
        await services.aclose()
        server.stop()
        servers.close()
