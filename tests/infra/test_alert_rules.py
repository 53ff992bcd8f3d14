"""The alert rules pass ``promtool check rules``, and each alert's unit test (series fixtures
under ``infra/prometheus/tests/``) fires on a planted breach and stays quiet on a healthy series.

Locally, without Debian's ``prometheus`` package, they are skipped with a notice; in CI
(``CI=true``, where ``.ci/run`` installs it) a missing promtool is a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[2]
PROMETHEUS_DIR = ROOT / "infra" / "prometheus"
RULES = PROMETHEUS_DIR / "rules.yml"
FIXTURES = sorted((PROMETHEUS_DIR / "tests").glob("*.yml"))


def prometheus_binary(name: str) -> str:
    """The path of ``promtool`` or ``prometheus``; skip (locally) or fail (CI) without it."""
    found = shutil.which(name)
    if found is None:
        problem = f"{name} is not installed (Debian: apt-get install prometheus)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{problem}; .ci/run installs it")
        pytest.skip(f"{problem}: the alert rules are not exercised")
    return found


def _load(path: Path) -> Any:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def _alert_names() -> list[str]:
    return [rule["alert"] for group in _load(RULES)["groups"] for rule in group["rules"]]


def test_promtool_checks_the_rules() -> None:
    done = subprocess.run(
        [prometheus_binary("promtool"), "check", "rules", str(RULES)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"SUCCESS: {len(_alert_names())} rules found" in done.stdout


def test_every_alert_has_a_firing_and_a_quiet_case() -> None:
    cases: dict[str, list[bool]] = {}
    for fixture in FIXTURES:
        assert _load(fixture)["rule_files"] == ["../rules.yml"], fixture  # the shipped rules
        for test in _load(fixture)["tests"]:
            for case in test["alert_rule_test"]:
                cases.setdefault(case["alertname"], []).append(bool(case["exp_alerts"]))
    for alert in _alert_names():
        assert True in cases.get(alert, []), f"{alert}: no case where it fires"
        assert False in cases.get(alert, []), f"{alert}: no case where it stays quiet"


def test_every_alert_fires_on_its_breach_and_not_on_a_healthy_series() -> None:
    done = subprocess.run(
        [prometheus_binary("promtool"), "test", "rules", *map(str, FIXTURES)],
        capture_output=True, text=True, timeout=120, cwd=PROMETHEUS_DIR,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("SUCCESS") == len(FIXTURES)


def test_the_fixtures_catch_a_loosened_threshold(tmp_path: Path) -> None:
    """A rule whose threshold drifts (10% → 50% late decisions) fails its unit test."""
    promtool = prometheus_binary("promtool")
    loosened = RULES.read_text(encoding="utf-8").replace("> 0.10", "> 0.50")
    assert loosened != RULES.read_text(encoding="utf-8")
    (tmp_path / "rules.yml").write_text(loosened, encoding="utf-8")
    (tmp_path / "tests").mkdir()
    for fixture in FIXTURES:
        shutil.copy(fixture, tmp_path / "tests" / fixture.name)
    done = subprocess.run(
        [promtool, "test", "rules", *(f"tests/{f.name}" for f in FIXTURES)],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode != 0
    assert "alertname: MotcuaSlaBreachRateHigh" in done.stdout + done.stderr
