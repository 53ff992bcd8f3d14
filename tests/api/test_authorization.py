"""The authorisation matrix: every endpoint by every kind of caller; only the right ones pass.

Callers: nobody (no token), another citizen, the dossier's owner, an officer of another agency,
an officer of the dossier's agency without the task's role, the right officer, a service
identity (an agency or portal system) holding every scope, and the population system (the one
service id that may post population changes). "Passes" means the request reached the rule it
asks for: anything but 401, 403 and 404. A refused caller gets one of those — 401 without a
token, 404 when it may not even know the dossier exists — with a readable body, and changes
nothing.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from temporalio.testing import WorkflowEnvironment

from adapters.signing import signed_headers
from motcua.definitions import Catalog
from motcua.settings import DEV_CALLBACK_KEY
from tests.api.stack import OTHER_CITIZEN, OWNER, POPULATION_SYSTEM, ApiStack, api_stack

PDF = b"%PDF-1.4\n%matrix\n%%EOF\n"
SUBMISSION = {
    "procedure": "1.004222",
    "applicant": {"personal_id": OWNER, "full_name": "Nguyễn Thị Lan"},
    "documents": [{"id": "ct01", "sha256": "{sha}"}],
}
REFUSED = {401, 403, 404}

ANONYMOUS, OTHER, OWNER_, FOREIGN, WRONG_ROLE, RIGHT, SERVICE, POPULATION = (
    "anonymous",
    "other citizen",
    "owner",
    "officer of another agency",
    "officer with the wrong role",
    "right officer",
    "service",
    "population system",
)
EVERYONE = {ANONYMOUS, OTHER, OWNER_, FOREIGN, WRONG_ROLE, RIGHT, SERVICE, POPULATION}
CITIZENS = {OTHER, OWNER_}
OFFICERS = {FOREIGN, WRONG_ROLE, RIGHT}


@dataclass
class Case:
    """One endpoint: how to call it, given the dossier's facts, and who may."""

    name: str
    method: str
    path: str  # formatted with the facts: {code}, {task}, {sha}, {workflow}, {hook}
    allowed: set[str]
    json: Any = None
    files: Callable[[], Any] | None = None
    extra: dict[str, str] = field(default_factory=dict)


CASES = [
    Case("procedures", "GET", "/v1/procedures", EVERYONE),
    Case("procedure", "GET", "/v1/procedures/1.004222", EVERYONE),
    Case("kpis (published scorecard)", "GET", "/v1/kpis", EVERYONE),
    Case("file", "POST", "/v1/dossiers", {OWNER_}, json=SUBMISSION,
         extra={"Idempotency-Key": "{key}"}),
    Case("follow a submission", "GET", "/v1/submissions/{workflow}", {OWNER_}),
    Case("read a dossier", "GET", "/v1/dossiers/{code}", {OWNER_, WRONG_ROLE, RIGHT}),
    Case("supplement", "POST", "/v1/dossiers/{code}/supplement", {OWNER_},
         json={"documents": [{"id": "ct01", "sha256": "{sha}"}]}),
    Case("rate", "POST", "/v1/dossiers/{code}/rating", {OWNER_}, json={"score": 4}),
    Case("upload", "POST", "/v1/documents", CITIZENS,
         files=lambda: {"file": ("b.pdf", PDF + b"%another file\n", "application/pdf")}),
    Case("download own upload", "GET", "/v1/documents/{sha}", {OWNER_}),
    Case("a dossier's document", "GET", "/v1/dossiers/{code}/documents/{sha}",
         {OWNER_, WRONG_ROLE, RIGHT}),
    Case("inbox", "GET", "/v1/tasks", OFFICERS),
    Case("read a task", "GET", "/v1/tasks/{task}", {RIGHT}),
    Case("claim", "POST", "/v1/tasks/{task}/claim", {RIGHT}),
    Case("release", "POST", "/v1/tasks/{task}/release", {RIGHT}),
    Case("decide", "POST", "/v1/tasks/{task}/decision", {RIGHT},
         json={"outcome": "not-an-outcome"}),
    Case("population changes", "POST", "/v1/population/changes", {POPULATION},
         json={"cursor": 1, "personal_id": "079190000777", "kind": "moved",
               "effective_on": "2026-11-01"}),
    Case("webhooks", "GET", "/v1/webhooks", {SERVICE}),
    Case("subscribe", "POST", "/v1/webhooks", {SERVICE}, json={"url": "https://portal.example/hook"}),
    Case("a webhook", "GET", "/v1/webhooks/{hook}", {SERVICE}),
    Case("its deliveries", "GET", "/v1/webhooks/{hook}/deliveries", {SERVICE}),
    Case("unpark", "POST", "/v1/webhooks/{hook}/retry", {SERVICE}),
    Case("deactivate a webhook", "DELETE", "/v1/webhooks/{hook}", {SERVICE}),
    # Last: it ends the dossier.
    Case("withdraw", "POST", "/v1/dossiers/{code}/withdrawal", {OWNER_}, json={"reason": "moved"}),
]  # fmt: skip


def _callers(api: ApiStack) -> dict[str, dict[str, str]]:
    return {
        ANONYMOUS: {},
        OTHER: api.citizen(OTHER_CITIZEN),
        OWNER_: api.citizen(OWNER),
        FOREIGN: api.officer(["one-stop-officer"], ["commune-pc"], id="foreign"),
        WRONG_ROLE: api.officer(["police-chief"], ["commune-police"], id="chief"),
        RIGHT: api.officer(["one-stop-officer"], ["commune-police"], id="lan"),
        SERVICE: api.service(
            "portal-svc", ["portal", "population", "consultation"], ["commune-pc"]
        ),
        POPULATION: api.service(POPULATION_SYSTEM, ["population"]),
    }


def _fill(value: Any, facts: dict[str, str]) -> Any:
    if isinstance(value, str):
        return value.format(**facts)
    if isinstance(value, dict):
        return {k: _fill(v, facts) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, facts) for v in value]
    return value


async def test_every_endpoint_admits_only_the_right_callers(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    async with api_stack(dev_env, catalog, tmp_path) as api:
        facts = await _a_dossier_at_receipt(api)
        callers = _callers(api)
        for case in CASES:
            for caller, headers in callers.items():
                answer = await api.http.request(
                    case.method,
                    _fill(case.path, facts),
                    json=_fill(case.json, facts),
                    files=case.files() if case.files else None,
                    headers=headers | _fill(case.extra, facts),
                )
                where = f"{case.name} as {caller}: {answer.status_code} {answer.text[:300]}"
                if caller in case.allowed:
                    assert answer.status_code not in REFUSED, where
                else:
                    assert answer.status_code in REFUSED, where
                    assert answer.status_code == 401 or caller != ANONYMOUS, where
                    assert {"code", "message", "details"} <= answer.json().keys(), where
        # The refused callers changed nothing: the owner's withdrawal was the only one.
        dossier = await api.http.get(f"/v1/dossiers/{facts['code']}", headers=callers[OWNER_])
        assert dossier.json()["status"] == "withdrawn"


async def test_other_citizens_and_agencies_do_not_see_the_dossier_in_their_lists(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    async with api_stack(dev_env, catalog, tmp_path) as api:
        facts = await _a_dossier_at_receipt(api)
        callers = _callers(api)
        mine = await api.http.get("/v1/dossiers", headers=callers[OWNER_])
        theirs = await api.http.get("/v1/dossiers", headers=callers[OTHER])
        assert [d["code"] for d in mine.json()["items"]] == [facts["code"]]
        assert theirs.status_code == 200 and theirs.json()["items"] == []
        inbox = await api.http.get("/v1/tasks", headers=callers[RIGHT])
        foreign = await api.http.get("/v1/tasks", headers=callers[FOREIGN])
        assert facts["task"] in [t["task_id"] for t in inbox.json()["items"]]
        assert foreign.status_code == 200 and foreign.json()["items"] == []
        asked = await api.http.get(
            "/v1/tasks", params={"agency": "commune-police"}, headers=callers[FOREIGN]
        )
        assert asked.status_code == 403


CALLBACK = "/v1/callbacks/payment"


async def test_the_payment_callback_admits_only_the_platforms_signature(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    async with api_stack(dev_env, catalog, tmp_path) as api:
        body = (
            b'{"reference":"000.00.02.H29-261123-9999-FEE","transaction_id":"TX-9",'
            b'"amount":10000,"paid_at":"2026-11-23T08:00:00Z"}'
        )
        for headers in _callers(api).values():  # a bearer token is no signature
            answer = await api.http.post("/v1/callbacks/payment", content=body, headers=headers)
            assert answer.status_code == 401, answer.text
        headers = signed_headers(DEV_CALLBACK_KEY, body, path=CALLBACK)
        signed = await api.http.post(CALLBACK, content=body, headers=headers)
        assert signed.status_code == 404  # authenticated; no such fee reference


async def _a_dossier_at_receipt(api: ApiStack) -> dict[str, str]:
    """A dossier filed through the API by its owner, waiting at receipt, plus an upload and a
    webhook of the service: the facts the matrix's paths need."""
    owner = api.citizen(OWNER)
    upload = await api.http.post(
        "/v1/documents", headers=owner, files={"file": ("ct01.pdf", PDF, "application/pdf")}
    )
    # Keys are per test: the Temporal server outlives each test's read model.
    key = f"matrix-{uuid.uuid4().hex}"
    submission = _fill(SUBMISSION, {"sha": upload.json()["sha256"]})
    filed = await api.http.post(
        "/v1/dossiers", json=submission, headers=owner | {"Idempotency-Key": key}
    )
    assert filed.status_code in (201, 202), filed.text
    workflow = filed.json()["workflow_id"]
    code, task, tasks = "", "", []
    right = api.officer(["one-stop-officer"], ["commune-police"], id="lan")
    for _ in range(400):
        seen = await api.http.get(f"/v1/submissions/{workflow}", headers=owner)
        code = (seen.json().get("dossier") or {}).get("code", "")
        if code:
            tasks = (await api.http.get("/v1/tasks", headers=right)).json()["items"]
            task = next((t["task_id"] for t in tasks if t["dossier_code"] == code), "")
            if task:
                break
        await asyncio.sleep(0.05)
    assert code and task, f"the dossier never reached the receipt desk: {seen.json()} {tasks}"
    hook = await api.http.post(
        "/v1/webhooks",
        json={"url": "https://portal.example/matrix"},
        headers=api.service("portal-svc", ["portal", "population", "consultation"], ["commune-pc"]),
    )
    assert hook.status_code == 201, hook.text
    return {
        "code": code,
        "task": task,
        "workflow": workflow,
        "key": key,
        "sha": upload.json()["sha256"],
        "hook": hook.json()["id"],
    }
