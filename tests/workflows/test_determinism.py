"""Workflow code stays deterministic without the sandbox's run-time checks.

Production workers run the workflows unsandboxed (``MOTCUA_WORKFLOW_SANDBOX`` off, see
docs/performance.md); the test suite and the replay test keep the sandbox. This static check
covers what the sandbox would have refused at run time, on every path and not only on those a
test happens to run: the workflow modules import only deterministic modules, and neither they
nor the contracts they run (``motcua.dossier``, ``motcua.definitions``, the calendar's arithmetic)
read the wall clock,
draw random numbers, hash strings (salted per process) or touch files.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

WORKFLOW_MODULES = sorted((ROOT / "workflows").rglob("*.py"))
CONTRACT_MODULES = sorted(
    [
        path
        for package in ("motcua/dossier", "motcua/definitions")
        for path in (ROOT / package).rglob("*.py")
    ]
    # The calendar a dossier computes its dues on: data from a local activity, pure arithmetic.
    + [
        ROOT / "motcua/calendar" / name
        for name in ("_calendar.py", "_periods.py", "_scaled.py", "_snapshot.py")
    ]
)

# What workflow code may import: the SDK, the standard library's pure parts, and contracts.
ALLOWED_IMPORTS = (
    "__future__",
    "asyncio",  # Temporal's workflow event loop runs asyncio's timers and tasks deterministically
    "collections",
    "contextlib",
    "dataclasses",
    "datetime",  # for the types; reading the clock is banned below
    "typing",
    "pydantic",
    "temporalio",
    "workflows",
    "motcua.dossier",
    "motcua.definitions",
    "motcua.calendar",  # its arithmetic; the calendar itself comes from a local activity
    "activities.contracts",
    "adapters.consultation",
    "adapters.delivery",
    "adapters.notification",
    "adapters.payment",
)
# Calls whose result differs between a run and its replay: ``workflow.now()``,
# ``workflow.random()`` and ``workflow.uuid4()`` are the deterministic ones.
BANNED_CALLS = {"now", "utcnow", "today", "fromtimestamp", "open", "hash", "input", "eval", "exec"}


def _imports(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def _banned_calls(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in BANNED_CALLS:
            found.append(f"line {node.lineno}: {func.id}()")
        # `workflow.now()` is Temporal's deterministic clock; `datetime.now()` is not.
        elif (
            isinstance(func, ast.Attribute)
            and func.attr in BANNED_CALLS
            and not (isinstance(func.value, ast.Name) and func.value.id == "workflow")
        ):
            found.append(f"line {node.lineno}: {ast.unparse(func)}()")
    return found


@pytest.mark.parametrize("path", WORKFLOW_MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_workflow_modules_import_only_deterministic_modules(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    foreign = {
        name
        for name in _imports(tree)
        if not any(name == ok or name.startswith(ok + ".") for ok in ALLOWED_IMPORTS)
    }
    assert not foreign, f"{path.relative_to(ROOT)} imports {sorted(foreign)}"


@pytest.mark.parametrize(
    "path", WORKFLOW_MODULES + CONTRACT_MODULES, ids=lambda p: str(p.relative_to(ROOT))
)
def test_no_non_deterministic_calls(path: Path) -> None:
    banned = _banned_calls(ast.parse(path.read_text(encoding="utf-8")))
    assert not banned, f"{path.relative_to(ROOT)} calls {banned}"


def test_the_check_finds_what_it_bans() -> None:
    """The checks above would fail on a wall-clock read, a random import or a file read."""
    source = "import random\nfrom datetime import datetime\nx = datetime.now()\nopen('f')\n"
    tree = ast.parse(source)
    assert "random" in _imports(tree)
    assert _banned_calls(tree) == ["line 3: datetime.now()", "line 4: open()"]
    assert _banned_calls(ast.parse("t = workflow.now()\n")) == []
