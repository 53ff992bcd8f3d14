"""The Temporal dev server of ``motcua up``: on loopback, persisted under ``var/``, with
motcua's search attributes registered, its output in ``var/temporal.log``.

The server logs ERROR records while it carries on (a poll cut short when a worker stops, a
retried persistence call): on the console they alarm and tell an operator nothing to do. Only
its own failure is shown there (the CLI's ``Error:`` on start, a panic, a fatal record), and the
supervisor reports its exit; everything is in the log file, whose path the banner prints."""

from __future__ import annotations

import re
import signal
from functools import partial
from pathlib import Path

from motcua.binaries import temporal_cli
from motcua.dossier import search_attributes as _search
from motcua.settings import Settings
from motcua.stack._ports import StackPorts, port_open
from motcua.stack._supervisor import Role

# Write-ahead log, synced at checkpoints rather than at every commit: a workflow update no longer
# waits for an fsync of the whole database (a bare update's p50 went from 27 to 12 ms on 2 cores,
# docs/latency.md). A killed server, worker or API loses nothing: a commit is in the log before
# it returns. What a power cut could take back is the last commits of this embedded, one-machine
# stack; a production Temporal cluster keeps its own database settings.
DURABLE_ENOUGH_PRAGMAS = (
    "--sqlite-pragma", "journal_mode=wal", "--sqlite-pragma", "synchronous=normal",
)  # fmt: skip


def dev_server_role(settings: Settings, ports: StackPorts) -> Role:
    """``temporal server start-dev``, ready when its gRPC port accepts connections."""
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    attributes = [
        f"--search-attribute={k.name}={_kind(k.indexed_value_type.name)}" for k in _search.ALL
    ]
    command = [
        temporal_cli(), "server", "start-dev",
        "--ip", ports.temporal_host, "--port", str(ports.temporal), "--ui-port", str(ports.ui),
        "--db-filename", str(dev_server_db(settings)), "--log-level", "error",
        *DURABLE_ENOUGH_PRAGMAS, *attributes,
    ]  # fmt: skip
    return Role(
        name="temporal",
        command=command,
        ready=partial(port_open, ports.temporal_host, ports.temporal),
        stop_signal=signal.SIGTERM,
        stop_last=True,  # the others may still talk to it while they stop
        log_file=dev_server_log(settings),
        shown=is_failure,
    )


def dev_server_db(settings: Settings) -> Path:
    """Where the dev server keeps its state, open dossiers included, across restarts."""
    return settings.var_dir / "temporal.db"


def dev_server_log(settings: Settings) -> Path:
    """Where ``motcua up`` keeps everything the dev server prints."""
    return settings.var_dir / "temporal.log"


_FAILURE = re.compile(r"^(Error|panic|fatal error)\b|\blevel=(FATAL|DPANIC|PANIC)\b")


def is_failure(line: str) -> bool:
    """A line of the dev server's that says it failed, which an operator must see."""
    return _FAILURE.search(line) is not None


def _kind(indexed_value_type: str) -> str:
    # The SDK's enum names (KEYWORD, DATETIME) in the CLI's spelling (Keyword, Datetime).
    return indexed_value_type.title()
