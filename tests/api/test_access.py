"""Access that ends where the work ends: a dossier's documents are only its own, and a consulted
agency sees the dossier only until its reply is in. Over HTTP against the whole stack."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import httpx
from temporalio.testing import WorkflowEnvironment

from motcua.definitions import Catalog
from tests.api.stack import OWNER, ApiStack, api_stack

JUDICIAL_RECORD = "2.000488"  # provincial police; consults the commune police
FILED = b"%PDF-1.4\n%the residence form\n%%EOF\n"
PRIVATE = b"%PDF-1.4\n%another dossier's document\n%%EOF\n"


async def _upload(api: ApiStack, content: bytes) -> str:
    answer = await api.http.post(
        "/v1/documents",
        headers=api.citizen(OWNER),
        files={"file": ("doc.pdf", content, "application/pdf")},
    )
    assert answer.status_code in (200, 201), answer.text
    return str(answer.json()["sha256"])


async def _filed_code(api: ApiStack, sha: str) -> str:
    filed = await api.http.post(
        "/v1/dossiers",
        json={
            "procedure": "1.004222",
            "applicant": {"personal_id": OWNER, "full_name": "Nguyễn Thị Lan"},
            "documents": [{"id": "ct01", "sha256": sha}],
        },
        headers=api.citizen(OWNER) | {"Idempotency-Key": f"access-{uuid.uuid4().hex}"},
    )
    assert filed.status_code in (201, 202), filed.text
    workflow = filed.json()["workflow_id"]
    for _ in range(400):
        seen = await api.http.get(f"/v1/submissions/{workflow}", headers=api.citizen(OWNER))
        code = (seen.json().get("dossier") or {}).get("code")
        if code:
            return str(code)
        await asyncio.sleep(0.05)
    raise AssertionError(f"the dossier was never created: {seen.json()}")


async def test_a_dossiers_documents_are_only_the_files_it_was_filed_with(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    async with api_stack(dev_env, catalog, tmp_path) as api:
        filed, private = await _upload(api, FILED), await _upload(api, PRIVATE)
        code = await _filed_code(api, filed)
        officer = api.officer(["one-stop-officer"], ["commune-police"])
        own = await api.http.get(f"/v1/dossiers/{code}/documents/{filed}", headers=officer)
        assert own.status_code == 200 and own.content == FILED
        # The same citizen's other upload is not this dossier's: not through it.
        other = await api.http.get(f"/v1/dossiers/{code}/documents/{private}", headers=officer)
        assert other.status_code == 404
        assert other.json()["code"] == "not_found"
        # The citizen still has both of their files.
        mine = await api.http.get(f"/v1/documents/{private}", headers=api.citizen(OWNER))
        assert mine.content == PRIVATE


async def test_a_consulted_agency_sees_the_dossier_until_its_reply_is_in(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    async with api_stack(dev_env, catalog, tmp_path) as api:
        h = api.h
        dossier = await h.submit(JUDICIAL_RECORD)
        await h.decide(dossier, "receive", "accept")
        await h.pay(dossier)
        await h.task(dossier, "checks")  # the commune police's question is open
        code = (await dossier.status()).dossier_code
        consulted = api.officer(["residence-officer"], ["commune-police"], id="police-officer")
        owning = api.officer(["records-officer"], ["provincial-police"], id="records-officer")
        url = f"/v1/dossiers/{code}"
        asked = await _answer_when(api, url, consulted, 200)
        assert asked.json()["code"] == code
        await h.decide(dossier, "checks", "agree", officer="police-officer")
        replied = await _answer_when(api, url, consulted, 404)
        assert replied.json()["code"] == "not_found"
        assert (await api.http.get(url, headers=owning)).status_code == 200


async def _answer_when(
    api: ApiStack, url: str, headers: dict[str, str], status: int
) -> httpx.Response:
    """The answer once it has ``status`` (the read model catches up with the workflow)."""
    for _ in range(400):
        answer = await api.http.get(url, headers=headers)
        if answer.status_code == status:
            return answer
        await asyncio.sleep(0.05)
    raise AssertionError(f"{url} never answered {status}: {answer.status_code} {answer.text}")
