"""Metrics are fed from newly projected events only, so a retried activity never counts twice."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from prometheus_client import REGISTRY

from activities._errors import call_adapter
from activities.contracts import ProjectionInput
from activities.store import StoreActivities
from motcua.calendar import default_calendar
from motcua.dossier import EVENT_ADAPTER, Event, event_id
from motcua.store import make_engine, migrate, session_factory

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)


def _event(seq: int, type_: str, **fields: object) -> Event:
    return EVENT_ADAPTER.validate_python(
        {
            "event_id": event_id("dossier-m1", seq),
            "workflow_id": "dossier-m1",
            "seq": seq,
            "type": type_,
            "dossier_code": "000.00.02.H29-261123-0001",
            "procedure_code": "metrics-proc",
            "procedure_version": 1,
            "agency": "commune-police",
            "occurred_at": NOW,
            **fields,
        }
    )


def _sample(name: str, labels: dict[str, str]) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_a_replayed_projection_does_not_count_twice(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'm.db'}"
    migrate(url)
    store = StoreActivities(session_factory(make_engine(url)), default_calendar())
    task = {"step_id": "consult", "task_id": "m1:consult", "task_agency": "district-justice"}
    batch = ProjectionInput(
        events=[
            _event(1, "dossier.submitted", channel="online", submission_id="m1"),
            _event(2, "task.created", role="justice-officer", **task),
            _event(3, "task.claimed", waited_seconds=1800, **task),
            _event(4, "task.decided", duration_seconds=7200, timeliness="late", **task),
            _event(5, "dossier.completed", timeliness="early"),
        ]
    )
    submitted = {"procedure": "metrics-proc", "agency": "commune-police", "channel": "online"}
    finished = {
        "procedure": "metrics-proc",
        "agency": "commune-police",
        "outcome": "completed",
        "timeliness": "early",
    }
    # A consultation's task is measured at the agency that held it.
    step = {"procedure": "metrics-proc", "step": "consult", "agency": "district-justice"}
    before = _sample("motcua_dossiers_submitted_total", submitted)
    assert store.project(batch).inserted == 5
    assert store.project(batch).inserted == 0  # the activity retried after a lost acknowledgement
    assert _sample("motcua_dossiers_submitted_total", submitted) == before + 1
    assert _sample("motcua_dossiers_finished_total", finished) == 1
    assert _sample("motcua_task_waiting_seconds_sum", step) == 1800
    assert _sample("motcua_step_duration_seconds_sum", step) == 7200
    assert _sample("motcua_sla_breaches_total", step) == 1


def test_the_counters_an_alert_divides_exist_at_zero_before_the_first_breach(
    tmp_path: Path,
) -> None:
    """Prometheus's rate() sees no increase in a series that is born at 1: the first late
    decision of a step, the first late result, the first adapter failure would raise no alert."""
    url = f"sqlite:///{tmp_path / 'm.db'}"
    migrate(url)
    store = StoreActivities(session_factory(make_engine(url)), default_calendar())
    task = {"step_id": "sign", "task_id": "z1:sign", "task_agency": "zero-agency"}
    proc = {"procedure_code": "zero-proc"}
    batch = ProjectionInput(
        events=[
            _event(1, "dossier.submitted", channel="online", submission_id="z1", **proc),
            _event(2, "task.created", role="chief", **task, **proc),
        ]
    )
    step = {"procedure": "zero-proc", "step": "sign", "agency": "zero-agency"}
    late = {"procedure": "zero-proc", "agency": "commune-police", "outcome": "completed"}
    late["timeliness"] = "late"
    assert REGISTRY.get_sample_value("motcua_sla_breaches_total", step) is None
    store.project(batch)
    assert REGISTRY.get_sample_value("motcua_sla_breaches_total", step) == 0
    assert REGISTRY.get_sample_value("motcua_step_duration_seconds_count", step) == 0
    assert REGISTRY.get_sample_value("motcua_dossiers_finished_total", late) == 0

    async def answered() -> str:
        return "ok"

    calls = {"adapter": "zero-adapter", "operation": "lookup"}
    asyncio.run(call_adapter("zero-adapter", "lookup", answered()))
    assert REGISTRY.get_sample_value("motcua_adapter_calls_total", calls | {"result": "ok"}) == 1
    for failure in ("error", "Transient", "Misconfigured"):
        assert (
            REGISTRY.get_sample_value("motcua_adapter_calls_total", calls | {"result": failure})
            == 0
        )
