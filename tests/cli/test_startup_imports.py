"""`motcua --help` builds the whole command tree without loading what the commands run on: a
designer (and every test that runs the CLI as a subprocess) waits for none of it."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.conftest import ROOT

# What the commands import when they run, never to list them: the web stack, the database, the
# Temporal client, the engine, the analysis, the simulators and the observability collector.
HEAVY = (
    "fastapi",
    "uvicorn",
    "sqlalchemy",
    "alembic",
    "temporalio",
    "temporalio.client",
    "numpy",
    "jwt",
    "adapters",
    "worker",
    "motcua.api",
    "motcua.analysis",
    "motcua.conformance",
    "motcua.crypto",
    "motcua.definitions",
    "motcua.dossier",
    "motcua.engine",
    "motcua.observability",
    "motcua.simulators",
    "motcua.store",
)


def _run(*args: str) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """Run ``python -X importtime -m motcua.cli ARGS``: its result, and the modules it imported
    (from its import-time report)."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "motcua.cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return done, set(re.findall(r"^import time:.*\|\s*(\S+)$", done.stderr, flags=re.MULTILINE))


def test_help_loads_none_of_what_the_commands_run_on() -> None:
    done, imported = _run("--help")

    assert done.returncode == 0, done.stderr
    assert "Usage:" in done.stdout
    assert "motcua.cli._sim" in imported  # the report is read: every command module is there
    assert sorted(imported.intersection(HEAVY)) == []


def test_a_command_group_help_loads_none_of_it_either() -> None:
    done, imported = _run("procedures", "--help")

    assert done.returncode == 0, done.stderr
    assert "validate" in done.stdout
    assert sorted(imported.intersection(HEAVY)) == []


def test_validating_a_definition_loads_only_the_definitions() -> None:
    done, imported = _run("procedures", "validate", "procedure_defs/birth_registration.yaml")

    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 definition valid" in done.stdout
    assert "motcua.definitions" in imported
    assert sorted(imported.intersection(HEAVY) - {"motcua.definitions"}) == []
