"""Citizen feedback (PAKN) through HTTP: a citizen files a complaint about their own dossier,
officers classify, answer and publish it from their inbox, the citizen reads the answer, and
the agency's KPIs count the complaint."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from temporalio.testing import WorkflowEnvironment

from motcua.definitions import Catalog
from tests.api.stack import OWNER, ApiStack, api_stack
from tests.api.test_lifecycle_http import _dossier_code, _inbox_task, _wait_for

OTHER = "079088001234"
AGENCY = "commune-pc"


def _feedback(text: str, about: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "applicant": {"personal_id": OWNER, "full_name": "Nguyễn Thị Lan"},
        "text": text,
    }
    return body | ({"about_dossier": about} if about else {})


async def _birth(api: ApiStack, personal_id: str) -> str:
    """A birth registration filed for ``personal_id`` (through the engine, as a counter would)."""
    dossier = await api.h.submit("1.001193", applicant=api.h.applicant(personal_id=personal_id))
    return (await api.h.wait_status(dossier, "awaiting_receipt")).dossier_code


async def _decide(
    api: ApiStack, code: str, role: str, outcome: str, comment: str, officer: str
) -> None:
    headers = api.officer([role], [AGENCY], id=officer)
    task = await _inbox_task(api, headers, code)
    decided = await api.http.post(
        f"/v1/tasks/{task['task_id']}/decision",
        json={"outcome": outcome, "comment": comment},
        headers=headers,
    )
    assert decided.status_code == 200, decided.text


async def test_a_complaint_about_my_dossier_is_answered_published_and_counted(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    async with api_stack(dev_env, catalog, tmp_path) as api:
        citizen = api.citizen()
        mine, theirs = await _birth(api, OWNER), await _birth(api, OTHER)

        def post(body: dict[str, Any]) -> Any:
            key = {"Idempotency-Key": f"pakn-{uuid.uuid4().hex}"}
            return api.http.post("/v1/feedback", json=body, headers=citizen | key)

        foreign = await post(_feedback("Chậm quá", about=theirs))
        assert foreign.status_code == 422
        assert foreign.json()["code"] == "unknown_dossier"
        assert foreign.json()["details"]["field"] == "about_dossier"
        blank = await post(_feedback("   "))
        assert blank.status_code == 422 and "text" in blank.json()["message"]

        filed = await post(_feedback("Hồ sơ khai sinh của tôi bị chậm", about=mine))
        assert filed.status_code in (201, 202), filed.text
        code = await _dossier_code(api, filed)

        await _decide(api, code, "feedback-officer", "accept", "Tiếp nhận", "pakn-1")
        await _decide(api, code, "feedback-officer", "approve", "Đã đôn đốc xử lý", "pakn-1")
        await _decide(api, code, "feedback-officer", "approve", "Công khai", "pakn-2")
        await _wait_for(api, code, "completed")

        answer = await api.http.get(f"/v1/feedback/{code}", headers=citizen)
        assert answer.status_code == 200, answer.text
        comments = [e["comment"] for e in answer.json()["timeline"] if e["comment"]]
        # The citizen's own words, then every answer of the officers, in order.
        assert comments == [
            "Hồ sơ khai sinh của tôi bị chậm",
            "Tiếp nhận",
            "Đã đôn đốc xử lý",
            "Công khai",
        ]
        # Another citizen does not see it; a dossier that is not a feedback is not one.
        other = await api.http.get(f"/v1/feedback/{code}", headers=api.citizen(OTHER))
        assert other.status_code == 404
        assert (await api.http.get(f"/v1/feedback/{mine}", headers=citizen)).status_code == 404

        kpis = (await api.http.get("/v1/kpis", params={"agency": AGENCY})).json()
    indicators = {i["id"]: i for i in kpis["agencies"][0]["indicators"]}
    # Two birth dossiers, neither late; mine has a complaint: (2 - 0 - 1) / 2.
    satisfaction = indicators["satisfaction"]
    assert (satisfaction["numerator"], satisfaction["denominator"]) == (1, 2)
    for indicator in ("feedback_answered", "feedback_published"):
        assert (indicators[indicator]["numerator"], indicators[indicator]["denominator"]) == (1, 1)
