"""The portal side over real HTTP: file a dossier once per key, follow it, withdraw it."""

from __future__ import annotations

import asyncio
import copy
import uuid
from pathlib import Path
from typing import Any

import pytest
from temporalio.testing import WorkflowEnvironment

from motcua.definitions import Catalog
from motcua.engine import Dossier
from tests.api.stack import OTHER_CITIZEN, OWNER, ApiStack, api_stack

PDF = b"%PDF-1.7\nForm CT01 of " + uuid.uuid4().bytes
KEY = ""


@pytest.fixture(autouse=True)
def fresh_keys() -> None:
    """Workflow ids derive from caller and key, and every test shares one Temporal server."""
    global KEY
    KEY = f"{uuid.uuid4().hex}-"


def applicant(personal_id: str = OWNER) -> dict[str, Any]:
    return {"personal_id": personal_id, "full_name": "Nguyễn Thị Lan", "birth_date": "1990-05-17"}


async def upload(api: ApiStack, data: bytes = PDF, who: str = OWNER) -> str:
    answer = await api.http.post(
        "/v1/documents", files={"file": ("ct01.pdf", data)}, headers=api.citizen(who)
    )
    assert answer.status_code in (200, 201), answer.text
    sha256: str = answer.json()["sha256"]
    return sha256


async def file(api: ApiStack, key: str, body: dict[str, Any], who: str = OWNER) -> dict[str, Any]:
    answer = await api.http.post(
        "/v1/dossiers", json=body, headers={**api.citizen(who), "Idempotency-Key": KEY + key}
    )
    return {"status": answer.status_code, "headers": answer.headers, **answer.json()}


async def read_when(
    api: ApiStack,
    code: str,
    status: str,
    headers: dict[str, str] | None = None,
    *,
    waiting_for: str | None = None,
) -> dict[str, Any]:
    """The dossier as its reader sees it, once the read model shows ``status`` (and, if given,
    that it waits for ``waiting_for``)."""
    for _ in range(200):
        answer = await api.http.get(f"/v1/dossiers/{code}", headers=headers or api.citizen())
        dossier: dict[str, Any] = answer.json()
        if dossier["status"] == status and waiting_for in (None, dossier["waiting_for"]):
            return dossier
        await asyncio.sleep(0.05)
    raise AssertionError(f"dossier {code} never showed {status}: {dossier}")


def residence(sha256: str, who: str = OWNER, **extra: Any) -> dict[str, Any]:
    documents = [{"id": "ct01", "sha256": sha256}]
    return {"procedure": "1.004222", "applicant": applicant(who), "documents": documents, **extra}


async def test_the_same_key_files_one_dossier(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path, store_url: str
) -> None:
    async with api_stack(dev_env, catalog, tmp_path, database_url=store_url) as api:
        sha256 = await upload(api)
        first = await file(api, "key-1", residence(sha256))
        assert first["status"] == 201, first
        code = first["dossier"]["code"]
        assert code.startswith("000.00.02.H29-")
        assert first["state"] == "created" and first["dossier"]["status"] == "awaiting_receipt"
        assert first["headers"]["location"] == f"/v1/dossiers/{code}"

        again = await file(api, "key-1", residence(sha256))
        assert again["status"] == 200 and again["dossier"]["code"] == code
        # Defaults spelled out are the same request.
        explicit = await file(api, "key-1", residence(sha256, channel="online", form={}))
        assert explicit["status"] == 200 and explicit["dossier"]["code"] == code

        changed = await file(api, "key-1", residence(sha256, form={"joins_household": True}))
        assert changed["status"] == 422 and changed["code"] == "idempotency_key_reused"

        # Another citizen's identical key is their own.
        other_sha = await upload(api, who=OTHER_CITIZEN)
        theirs = await file(
            api, KEY + "key-1", residence(other_sha, OTHER_CITIZEN), who=OTHER_CITIZEN
        )
        assert theirs["status"] == 201 and theirs["dossier"]["code"] != code

        # Identical requests at once are still one dossier, created by one of them.
        racing = await asyncio.gather(*(file(api, "key-2", residence(sha256)) for _ in range(4)))
        assert len({r["dossier"]["code"] for r in racing}) == 1
        assert sorted(r["status"] for r in racing) == [200, 200, 200, 201]

        mine = await api.http.get("/v1/dossiers", headers=api.citizen())
        assert sorted(d["code"] for d in mine.json()["items"]) == sorted(
            {code, racing[0]["dossier"]["code"]}
        )


async def test_bad_submissions_are_refused_readably(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    counter_only = catalog.latest("1.004222").model_copy(
        update={"code": "9.000001", "channels": ["counter"]}
    )
    catalog = copy.copy(catalog)
    catalog._procedures = {**catalog._procedures, "9.000001": {1: counter_only}}
    async with api_stack(dev_env, catalog, tmp_path) as api:
        sha256 = await upload(api)
        someone_else = await file(api, "k", residence(sha256, OTHER_CITIZEN))
        assert someone_else["status"] == 403 and someone_else["code"] == "applicant_mismatch"

        unlisted = residence(sha256)
        unlisted["documents"] = [{"id": "passport", "sha256": sha256}]
        answer = await file(api, "k", unlisted)
        assert answer["status"] == 422 and answer["code"] == "unknown_document"
        assert "'passport'" in answer["message"]

        foreign = await upload(api, PDF + b"minh", who=OTHER_CITIZEN)
        answer = await file(api, "k", residence(foreign))
        assert answer["status"] == 422 and answer["code"] == "document_not_uploaded"
        assert answer["details"] == {"document": "ct01", "sha256": foreign}

        unknown = await file(api, "k", {**residence(sha256), "procedure": "9.999999"})
        assert unknown["status"] == 422 and unknown["code"] == "unknown_procedure"
        counter = await file(api, "k", {**residence(sha256), "channel": "counter"})
        assert counter["status"] == 422

        no_key = await api.http.post("/v1/dossiers", json=residence(sha256), headers=api.citizen())
        assert no_key.status_code == 422
        assert no_key.json()["details"][0]["field"] == "header.Idempotency-Key"
        officer = await api.http.post(
            "/v1/dossiers",
            json=residence(sha256),
            headers={
                **api.officer(["one-stop-officer"], ["commune-police"]),
                "Idempotency-Key": "k",
            },
        )
        assert officer.status_code == 403

        offline = await file(api, "k", {**residence(sha256), "procedure": "9.000001"})
        assert offline["status"] == 422 and offline["code"] == "invalid_submission"
        assert "not offered through channel 'online'" in offline["message"]

        # The refused key was not spent: it files the corrected request.
        assert (await file(api, "k", residence(sha256)))["status"] == 201


async def test_the_owner_follows_the_hand_offs_and_strangers_see_nothing(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    async with api_stack(dev_env, catalog, tmp_path) as api:
        sha256 = await upload(api)
        filed = await file(api, "track", residence(sha256))
        code, workflow_id = filed["dossier"]["code"], filed["workflow_id"]
        dossier = (await api.http.get(f"/v1/dossiers/{code}", headers=api.citizen())).json()
        assert dossier["status"] == "awaiting_receipt"
        assert dossier["waiting_for"] == "officer: one-stop-officer@commune-police"
        receipt = next(e for e in dossier["timeline"] if e["type"] == "task.created")
        assert receipt["step_id"] == "receive"
        assert receipt["handed_to"] == "one-stop-officer@commune-police"
        assert receipt["due_at"] is not None

        stranger_headers = [
            api.citizen(OTHER_CITIZEN),
            api.officer(["one-stop-officer"], ["commune-pc"]),
            api.service("portal-1", ["portal"], ["commune-pc"]),
        ]
        for headers in stranger_headers:
            hidden = await api.http.get(f"/v1/dossiers/{code}", headers=headers)
            assert hidden.status_code == 404 and hidden.json()["code"] == "not_found"
            document = await api.http.get(
                f"/v1/dossiers/{code}/documents/{sha256}", headers=headers
            )
            assert document.status_code == 404
        others = await api.http.get("/v1/dossiers", headers=api.citizen(OTHER_CITIZEN))
        assert others.json()["items"] == []

        await api.h.decide(Dossier(api.h.client, workflow_id), "receive", "accept", officer="lan-o")
        police = api.officer(["residence-officer"], ["commune-police"])
        seen = (await api.http.get(f"/v1/dossiers/{code}", headers=police)).json()
        decided = next(e for e in seen["timeline"] if e["type"] == "task.decided")
        assert decided["actor"] == "lan-o" and decided["outcome"] == "accept"
        assert decided["handed_from"] == "one-stop-officer@commune-police"
        assert decided["timeliness"] in ("early", "on_time")
        # The fee is due once the payment platform holds the request.
        mine = await read_when(api, code, "awaiting_payment", waiting_for="citizen: payment")
        citizen_view = next(e for e in mine["timeline"] if e["type"] == "task.decided")
        assert citizen_view["actor"] == "one-stop-officer"  # a role, never the officer's id
        assert "lan-o" not in str(mine)
        assert mine["due_at"] is not None and mine["waiting_for"] == "citizen: payment"
        assert mine["fee_amount"] == 10000 and mine["paid"] is False

        fetched = await api.http.get(f"/v1/dossiers/{code}/documents/{sha256}", headers=police)
        assert fetched.status_code == 200 and fetched.content == PDF

        paying = await api.http.get(
            "/v1/dossiers", params={"status": "awaiting_payment"}, headers=api.citizen()
        )
        assert [d["code"] for d in paying.json()["items"]] == [code]
        none = await api.http.get(
            "/v1/dossiers", params={"status": "completed"}, headers=api.citizen()
        )
        assert none.json()["items"] == []


async def test_withdrawal_supplement_and_rating_belong_to_the_owner(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    async with api_stack(dev_env, catalog, tmp_path) as api:
        sha256 = await upload(api)
        filed = await file(api, "withdraw", residence(sha256))
        code, workflow_id = filed["dossier"]["code"], filed["workflow_id"]
        dossier = Dossier(api.h.client, workflow_id)

        for path, body in [("withdrawal", {"reason": "x"}), ("rating", {"score": 5})]:
            stranger = await api.http.post(
                f"/v1/dossiers/{code}/{path}", json=body, headers=api.citizen(OTHER_CITIZEN)
            )
            assert stranger.status_code == 404
        too_early = await api.http.post(
            f"/v1/dossiers/{code}/rating", json={"score": 4}, headers=api.citizen()
        )
        assert too_early.status_code == 409 and too_early.json()["code"] == "refused"
        assert "cannot be rated now" in too_early.json()["message"]

        await api.h.decide(dossier, "receive", "request_supplement", missing=["ct01"])
        waiting = await read_when(api, code, "awaiting_supplement")
        assert waiting["missing_documents"] == ["ct01"]
        assert waiting["waiting_for"] == "citizen: supplement"
        unlisted = await api.http.post(
            f"/v1/dossiers/{code}/supplement",
            json={"documents": [{"id": "passport", "sha256": sha256}]},
            headers=api.citizen(),
        )
        assert unlisted.status_code == 422 and unlisted.json()["code"] == "unknown_document"
        new_form = await upload(api, PDF + b"signed")
        supplemented = await api.http.post(
            f"/v1/dossiers/{code}/supplement",
            json={"documents": [{"id": "ct01", "sha256": new_form}]},
            headers=api.citizen(),
        )
        assert supplemented.status_code == 200, supplemented.text
        assert supplemented.json()["dossier_code"] == code

        withdrawn = await api.http.post(
            f"/v1/dossiers/{code}/withdrawal", json={"reason": "moved away"}, headers=api.citizen()
        )
        assert withdrawn.status_code == 200
        assert withdrawn.json()["status"] == "withdrawn"
        again = await api.http.post(
            f"/v1/dossiers/{code}/withdrawal", json={}, headers=api.citizen()
        )
        assert again.status_code == 409 and again.json()["code"] == "refused"
        # In the workflow's words while it closes, in ours once it has closed.
        assert code in again.json()["message"] and "is withdrawn" in again.json()["message"]


async def test_a_slow_submission_is_followed_at_its_location(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    async with api_stack(dev_env, catalog, tmp_path, settings={"submit_wait_seconds": 0}) as api:
        sha256 = await upload(api)
        filed = await file(api, "slow", residence(sha256))
        # No time to wait for the code: started, and followed at the Location.
        assert filed["status"] == 202, filed
        assert filed["state"] == "pending" and filed["dossier"] is None
        location = filed["headers"]["location"]
        assert location == f"/v1/submissions/{filed['workflow_id']}"
        hidden = await api.http.get(location, headers=api.citizen(OTHER_CITIZEN))
        assert hidden.status_code == 404
        for _ in range(200):
            polled = (await api.http.get(location, headers=api.citizen())).json()
            if polled["state"] == "created":
                break
            await asyncio.sleep(0.05)
        code = polled["dossier"]["code"]
        replayed = await file(api, "slow", residence(sha256))
        assert replayed["status"] == 200 and replayed["workflow_id"] == filed["workflow_id"]
        assert replayed["dossier"]["code"] == code
        mine = await api.http.get(f"/v1/dossiers/{code}", headers=api.citizen())
        assert mine.json()["code"] == code
