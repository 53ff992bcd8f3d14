"""A permanent-residence dossier from submission to rating, driven only through HTTP — the
citizen's portal, the officers' inbox, the payment platform's signed callback — on SQLite and on
PostgreSQL."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
from temporalio.testing import WorkflowEnvironment

from motcua.definitions import Catalog
from tests.api.stack import OWNER, ApiStack, api_stack

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
AGENCY = "commune-police"


async def test_a_dossier_from_submission_to_rating_through_http_only(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path, store_url: str
) -> None:
    async with api_stack(
        dev_env, catalog, tmp_path, database_url=store_url, settings={"rating_window_days": 1}
    ) as api:
        citizen = api.citizen()
        # The portal reads what the procedure asks for: the land registry provides the proof of
        # lawful residence, so the citizen uploads only the CT01 form.
        procedure = (await api.http.get("/v1/procedures/1.004222")).json()
        supplied = [d["id"] for d in procedure["documents"] if not d.get("provided_by")]
        assert supplied == ["ct01"]
        upload = await api.http.post(
            "/v1/documents", headers=citizen, files={"file": ("ct01.pdf", PDF, "application/pdf")}
        )
        assert upload.status_code == 201, upload.text
        sha256 = upload.json()["sha256"]

        key = f"portal-{uuid.uuid4().hex}"  # the Temporal server outlives each test's database
        body = {
            "procedure": "1.004222",
            "applicant": {"personal_id": OWNER, "full_name": "Nguyễn Thị Lan"},
            "documents": [{"id": "ct01", "sha256": sha256}],
        }
        filed = await api.http.post(
            "/v1/dossiers", json=body, headers=citizen | {"Idempotency-Key": key}
        )
        assert filed.status_code in (201, 202), filed.text
        code = await _dossier_code(api, filed)
        again = await api.http.post(
            "/v1/dossiers", json=body, headers=citizen | {"Idempotency-Key": key}
        )
        assert again.json()["dossier"]["code"] == code  # a retried submission is one dossier

        await _officer_decides(api, code, "one-stop-officer", "accept")
        # The citizen is asked to pay once the payment platform holds the request.
        fee = await _wait_for(api, code, "awaiting_payment", waiting_for="citizen: payment")
        assert fee["fee_amount"] == 10_000 and not fee["paid"]

        # The citizen pays at the platform; the platform confirms to the API's callback, signed.
        reference = quote(f"{code}-FEE", safe="")
        async with httpx.AsyncClient(base_url=api.h.sims["payment"]) as platform:
            paid = await platform.post(f"/v1/payment-requests/{reference}/pay", json={})
            assert paid.status_code == 200, paid.text

        await _officer_decides(api, code, "residence-officer", "approve", officer="hoa")
        await _officer_decides(api, code, "police-chief", "approve", officer="chief-minh")
        done = await _wait_for(api, code, "completed")
        assert done["paid"] and done["result_code"] and done["timeliness"] in {"early", "on_time"}

        rated = await api.http.post(
            f"/v1/dossiers/{code}/rating", json={"score": 5}, headers=citizen
        )
        assert rated.status_code == 200, rated.text
        final = await _wait_for(api, code, "rated")
        assert final["rating"] == 5
        kinds = [entry["type"] for entry in final["timeline"]]
        for expected in ("dossier.submitted", "dossier.accepted", "fee.paid", "dossier.rated"):
            assert expected in kinds, kinds
        # Citizens see who handled their dossier by role, never an officer's own id.
        actors = {entry["actor"] for entry in final["timeline"]}
        assert "hoa" not in actors and "chief-minh" not in actors
        mine = (await api.http.get("/v1/dossiers", headers=citizen)).json()["items"]
        assert [d["code"] for d in mine] == [code]


async def _dossier_code(api: ApiStack, filed: httpx.Response) -> str:
    """The code of a filed dossier; a 202 (code not allocated yet) is followed as a portal would."""
    submission = filed.json()
    for _ in range(400):
        if submission["dossier"] is not None:
            return str(submission["dossier"]["code"])
        await asyncio.sleep(0.05)
        answer = await api.http.get(
            f"/v1/submissions/{submission['workflow_id']}", headers=api.citizen()
        )
        submission = answer.json()
    raise AssertionError(f"the submission never got a dossier code: {submission}")


async def _officer_decides(
    api: ApiStack, code: str, role: str, outcome: str, *, officer: str = "lan"
) -> None:
    """An officer finds the dossier's task in their inbox, claims it and decides it."""
    headers = api.officer([role], [AGENCY], id=officer)
    task = await _inbox_task(api, headers, code)
    claimed = await api.http.post(f"/v1/tasks/{task['task_id']}/claim", headers=headers)
    assert claimed.status_code == 200, claimed.text
    decided = await api.http.post(
        f"/v1/tasks/{task['task_id']}/decision", json={"outcome": outcome}, headers=headers
    )
    assert decided.status_code == 200, decided.text


async def _inbox_task(api: ApiStack, headers: dict[str, str], code: str) -> dict[str, Any]:
    for _ in range(400):
        inbox = await api.http.get("/v1/tasks", headers=headers)
        assert inbox.status_code == 200, inbox.text
        for task in inbox.json()["items"]:
            if task["dossier_code"] == code:
                return dict(task)
        await asyncio.sleep(0.05)
    raise AssertionError(f"no task for {code} in the inbox: {inbox.json()}")


async def _wait_for(
    api: ApiStack,
    code: str,
    status: str,
    *,
    waiting_for: str | None = None,
    personal_id: str = OWNER,
) -> dict[str, Any]:
    """The dossier as its owner ``personal_id`` reads it, once it reaches ``status`` (and waits
    for ``waiting_for``, when given)."""
    for _ in range(400):
        answer = await api.http.get(f"/v1/dossiers/{code}", headers=api.citizen(personal_id))
        assert answer.status_code == 200, answer.text
        seen = answer.json()
        if seen["status"] == status and waiting_for in (None, seen["waiting_for"]):
            return dict(seen)
        await asyncio.sleep(0.05)
    raise AssertionError(f"{code} never reached {status}: {answer.json()}")
