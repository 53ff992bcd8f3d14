"""Filing in one call over real HTTP: the code comes back in the answer, a bundle answers with
its first member, and a dossier without a required document is refused with the list."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from temporalio.testing import WorkflowEnvironment

from motcua.definitions import Catalog
from tests.api.stack import OWNER, ApiStack, api_stack

PDF = b"%PDF-1.7\nDeclaration of " + uuid.uuid4().bytes


def applicant() -> dict[str, Any]:
    return {"personal_id": OWNER, "full_name": "Nguyễn Thị Lan", "birth_date": "1990-05-17"}


async def upload(api: ApiStack, data: bytes = PDF) -> str:
    answer = await api.http.post(
        "/v1/documents", files={"file": ("form.pdf", data)}, headers=api.citizen()
    )
    assert answer.status_code in (200, 201), answer.text
    sha256: str = answer.json()["sha256"]
    return sha256


async def file(api: ApiStack, key: str, body: dict[str, Any]) -> dict[str, Any]:
    answer = await api.http.post(
        "/v1/dossiers", json=body, headers={**api.citizen(), "Idempotency-Key": key}
    )
    return {"status": answer.status_code, "headers": answer.headers, **answer.json()}


def body(procedure: str, sha256: str, *ids: str, **extra: Any) -> dict[str, Any]:
    documents = [{"id": i, "sha256": sha256} for i in ids]
    return {"procedure": procedure, "applicant": applicant(), "documents": documents, **extra}


async def test_a_dossier_without_a_required_document_is_refused_with_the_list(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    key = f"{uuid.uuid4().hex}-"
    async with api_stack(dev_env, catalog, tmp_path) as api:
        sha256 = await upload(api)
        bare = await file(api, key + "residence", body("1.004222", sha256))
        assert bare["status"] == 422 and bare["code"] == "missing_documents", bare
        assert bare["details"]["missing"] == ["ct01"]
        assert bare["details"]["documents"][0]["procedure"] == "1.004222"
        assert "ct01" in bare["message"] and "CT01" in bare["message"]
        # The refused key was not spent: the complete request files with it.
        complete = await file(api, key + "residence", body("1.004222", sha256, "ct01"))
        assert complete["status"] == 201 and complete["dossier"]["procedure_code"] == "1.004222"

        # Conditions are evaluated on the form: minutes only for a household of several.
        several = {"form": {"members_count": 3}}
        household = body("1.001612", sha256, "registration_form", **several)
        refused = await file(api, key + "household", household)
        assert refused["status"] == 422 and refused["details"]["missing"] == ["members_minutes"]
        alone = body("1.001612", sha256, "registration_form", form={"members_count": 1})
        assert (await file(api, key + "household-1", alone))["status"] == 201

        # A document a database provides is never required: the marriage certificate of
        # married parents comes from the population database.
        married = body("1.001193", sha256, "declaration", form={"parents_married": True})
        assert (await file(api, key + "birth", married))["status"] == 201

        # A bundle checks each member's procedure.
        group = await file(api, key + "group", body("3.000722", sha256, "declaration"))
        assert group["status"] == 422 and group["details"]["missing"] == ["ct01"]
        missing = [(d["id"], d["procedure"]) for d in group["details"]["documents"]]
        assert missing == [("ct01", "1.004222")]


async def test_a_bundle_answers_with_its_first_member_in_one_call(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    key = f"{uuid.uuid4().hex}-group"
    async with api_stack(dev_env, catalog, tmp_path) as api:
        sha256 = await upload(api)
        group = body("3.000722", sha256, "declaration", "ct01")
        filed = await file(api, key, group)
        assert filed["status"] == 201, filed
        assert filed["state"] == "created" and filed["workflow_id"].startswith("bundle-")
        first = filed["dossier"]
        assert first["procedure_code"] == "1.001193"  # birth registration goes first
        assert first["bundle_id"] == filed["workflow_id"]
        assert [m["code"] for m in filed["members"]] == [first["code"]]
        assert filed["headers"]["location"] == f"/v1/dossiers/{first['code']}"

        again = await file(api, key, group)
        assert again["status"] == 200 and again["dossier"]["code"] == first["code"]
        followed = await api.http.get(
            f"/v1/submissions/{filed['workflow_id']}", headers=api.citizen()
        )
        assert followed.json()["state"] == "created"
        assert followed.json()["dossier"]["code"] == first["code"]
