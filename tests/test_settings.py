"""Settings fail fast on an unsafe value."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from motcua.settings import Settings


def test_the_demo_clock_is_refused_in_production() -> None:
    with pytest.raises(ValidationError, match="MOTCUA_TIME_SCALE must be 1 in production"):
        Settings(environment="production", time_scale=6000)


def test_environment_variables_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOTCUA_TASK_QUEUE", "agency.commune-police")
    monkeypatch.setenv("MOTCUA_METRICS_PORT", "70000")
    with pytest.raises(ValidationError, match="metrics_port"):
        Settings()
    monkeypatch.setenv("MOTCUA_METRICS_PORT", "9000")
    assert Settings().task_queue == "agency.commune-police"
