"""The console and the API import in either order (the console's pages use the API's models,
and the API mounts the console)."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize("first", ["motcua.console", "motcua.api"])
def test_a_fresh_interpreter_imports_either_package_first(first: str) -> None:
    # A fresh process: in this one both packages are already imported by other tests.
    result = subprocess.run(
        [sys.executable, "-c", f"import {first}; import motcua.api, motcua.console"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
