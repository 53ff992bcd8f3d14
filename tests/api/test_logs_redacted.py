"""The API's logs, uvicorn's access and error lines included, carry no personal ID or phone: a
real request over HTTP whose URL and body hold both leaves only masked traces in the log."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from temporalio.testing import WorkflowEnvironment

from motcua.definitions import Catalog
from motcua.observability import configure_logging
from tests.api.stack import OWNER, api_stack

PHONE = "0912345678"
PHONE_84 = "84987654321"


@pytest.fixture
def json_logs() -> Iterator[None]:
    configure_logging(fmt="json", level="INFO")
    yield
    logging.getLogger().handlers.clear()


async def test_access_and_application_logs_hold_no_personal_id_or_phone(
    dev_env: WorkflowEnvironment,
    catalog: Catalog,
    tmp_path: Path,
    json_logs: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    async with api_stack(dev_env, catalog, tmp_path) as api:
        # A search whose query string names the citizen, as a careless portal would send it.
        query = {"personal_id": OWNER, "phone": PHONE_84, "note": f"call {PHONE}"}
        listed = await api.http.get("/v1/dossiers", params=query, headers=api.citizen())
        assert listed.status_code < 500, listed.text
        # A path holding the ID, and a filing whose body holds the ID, a phone and a name.
        missing = await api.http.get(f"/v1/dossiers/{OWNER}", headers=api.citizen())
        assert missing.status_code == 404
        applicant = {"personal_id": OWNER, "full_name": "Nguyễn Thị Lan", "phone": PHONE}
        filed = await api.http.post(
            "/v1/dossiers",
            json={"procedure": "1.004222", "applicant": applicant, "documents": []},
            headers={**api.citizen(), "Idempotency-Key": uuid.uuid4().hex},
        )
        assert filed.status_code == 422, filed.text  # ct01 is missing: refused, with the list
        # A forged payment callback naming the citizen: refused, and logged as refused.
        forged = await api.http.post(
            "/v1/callbacks/payment",
            json={"reference": OWNER, "payer": PHONE},
            headers={"X-Motcua-Signature": f"sig-{OWNER}"},
        )
        assert forged.status_code == 401
    output = capsys.readouterr().err
    lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    requests = [line for line in lines if line["event"] == "http.request"]
    # The access lines went through the JSON handler, each without its query string.
    assert {"GET", "POST"} <= {line["method"] for line in requests}
    assert "/v1/dossiers" in {line["path"] for line in requests}
    assert "/v1/dossiers/001*******12" in {line["path"] for line in requests}
    assert any(line["event"] == "callback.refused" for line in lines)
    for clear in (OWNER, PHONE, PHONE_84, "Nguyễn Thị Lan"):
        assert clear not in output
