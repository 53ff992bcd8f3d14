"""A synthetic log's rows as typed events, with the facts the engine writes for each type."""

from __future__ import annotations

from typing import Any

import numpy as np

from motcua.analysis._log import EventLog
from motcua.analysis._worktime import from_epoch
from motcua.definitions import Procedure
from motcua.dossier import EVENT_ADAPTER, Event, event_id


def typed_event(
    log: EventLog, proc: Procedure, i: int, aux: int, docs: int, task_created: dict[int, float]
) -> Event:
    """Row ``i`` of ``log`` as the typed event the engine would have written."""
    type_, code = log.type_names[log.type[i]], log.dossier_names[log.dossier[i]]
    step = proc.steps[log.step[i]] if log.step[i] >= 0 else None
    agency = log.agency_names[log.agency[i]]
    role = getattr(step, "role", None)
    missing = [d.id for j, d in enumerate(proc.documents) if docs >> j & 1]
    at = float(log.at[i])
    since_created = at - task_created.get(int(log.task[i]), at)
    facts = _facts(type_, code, step, agency, aux, missing, since_created)
    due = log.due[i]
    timely = type_ in ("task.decided", "dossier.completed")
    return EVENT_ADAPTER.validate_python(
        {
            "event_id": event_id(f"dossier-{code}", int(log.seq[i])),
            "workflow_id": f"dossier-{code}",
            "seq": int(log.seq[i]),
            "type": type_,
            "dossier_code": code,
            "procedure_code": proc.code,
            "procedure_version": proc.version,
            "agency": proc.agency,
            "occurred_at": from_epoch(at),
            "step_id": step.id if step is not None else None,
            "step_kind": step.kind if step is not None else None,
            "actor_id": log.actor_names[log.actor[i]],
            "actor_role": role if type_.startswith("task.") and type_ != "task.created" else None,
            "handed_to": f"{role}@{agency}" if type_ == "task.created" else None,
            "outcome": log.outcome_names[log.outcome[i]] if log.outcome[i] >= 0 else None,
            "channel": "online" if type_ in ("dossier.submitted", "dossier.accepted") else None,
            "due_at": None if np.isnan(due) else from_epoch(float(due)),
            "timeliness": ("late" if log.late[i] else "on_time") if timely else None,
            **facts,
        }
    )


def _facts(
    type_: str,
    code: str,
    step: Any,
    agency: str,
    aux: int,
    missing: list[str],
    since_created: float,
) -> dict[str, Any]:
    """The type's own facts of a synthetic event, as the engine writes them."""
    task_id = f"{code}/{step.id}-{aux}" if step is not None else ""
    task = {"task_id": task_id, "task_agency": agency}
    if type_ == "task.created":
        outcomes = list(getattr(step, "outcomes", []))
        return {**task, "role": step.role, "branch_id": None, "outcomes": outcomes}
    if type_ == "task.claimed":
        return {**task, "waited_seconds": since_created}
    if type_ == "task.decided":
        return {**task, "duration_seconds": since_created, "missing_documents": missing}
    if type_ == "dossier.supplement_requested":
        return {"missing_documents": missing, "request_number": aux}
    if type_ == "verification.completed":
        checks = list(getattr(step, "checks", []))
        return {"evidence_id": f"{code}-EV", "source": "population", "checks": checks, "ok": True}
    if type_ == "fee.requested":
        return {"reference": f"{code}-FEE", "amount": 10000}
    if type_ == "fee.paid":
        return {"reference": f"{code}-FEE", "amount": 10000, "transaction_id": f"{code}-TX"}
    if type_ == "result.issued":
        result_code = f"{code}-R"
        return {
            "result_id": result_code,
            "result_type": step.result_type,
            "result_code": result_code,
        }
    if type_ == "result.delivered":
        return {"result_id": f"{code}-R", "delivery": step.delivery[aux]}
    other: dict[str, dict[str, Any]] = {
        "dossier.submitted": {
            "submission_id": f"portal-{code}",
            "documents": ["ct01"],
            "full_process_online": True,
        },
        "dossier.supplement_received": {"documents": missing},
    }
    return other.get(type_, {})
