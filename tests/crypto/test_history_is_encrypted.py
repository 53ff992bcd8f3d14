"""The proof of payload encryption: a dossier's raw history, read with the real Temporal CLI,
holds none of the applicant's personal data; the same history decoded through the codec server
(real HTTP, an operator's token) shows it; anyone else is refused."""

from __future__ import annotations

import asyncio
import base64
import json
import subprocess
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
import pytest
from structlog.testing import capture_logs
from temporalio.testing import WorkflowEnvironment

from motcua.api import Citizen, Officer, issue_token, serving_api
from motcua.binaries import temporal_cli
from motcua.crypto import EncryptionCodec
from motcua.crypto.server import OPERATOR_ROLE, create_codec_app
from motcua.definitions import Catalog
from motcua.dossier import Applicant
from motcua.settings import Settings
from tests.conftest import TEST_KEYRING
from tests.workflows.harness import running_worker

APPLICANT = {
    "personal_id": "001203004512",
    "full_name": "Nguyễn Thị Lan",
    "birth_date": "1990-05-17",
    "phone": "0912345678",
    "address": "Số 12 ngõ 34 phố Hàng Bạc, Hoàn Kiếm, Hà Nội",
}
PERSONAL = list(APPLICANT.values())


@dataclass
class Recorded:
    workflow_id: str
    address: str
    codec_url: str
    settings: Settings

    def token(self, *roles: str) -> str:
        officer = Officer(id="ops-lan", roles=list(roles), agencies=["commune-police"])
        return issue_token(self.settings, officer, ttl=timedelta(minutes=10))


@pytest.fixture(scope="module")
async def recorded(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Recorded]:
    """One permanent-residence dossier run to its result, and the codec server over the keys
    it was encrypted with."""
    tmp_path = tmp_path_factory.mktemp("encrypted")
    async with running_worker(dev_env, catalog, tmp_path) as h:
        dossier = await h.submit("1.004222", applicant=Applicant.model_validate(APPLICANT))
        await h.complete_residence(dossier)
    settings = Settings(environment="test", dev_mode=True, var_dir=tmp_path / "var")
    app = create_codec_app(settings, EncryptionCodec(TEST_KEYRING))
    async with serving_api(app) as codec_url:
        yield Recorded(
            workflow_id=dossier.workflow_id,
            address=dev_env.client.service_client.config.target_host,
            codec_url=codec_url,
            settings=settings,
        )


async def test_the_raw_history_holds_no_personal_data(recorded: Recorded) -> None:
    history = await _show(recorded)
    texts = list(_all_text(history))
    sealed = [p for p in _payloads(history) if _metadata(p).get("encoding") == "binary/encrypted"]
    assert len(sealed) >= 10  # the input, every activity's and update's, the result
    assert {_metadata(p).get("encryption-key-id") for p in sealed} == {TEST_KEYRING.current.id}
    for value in PERSONAL:
        leaks = [text[:120] for text in texts if value in text]
        assert not leaks, f"{value!r} is readable in the raw history: {leaks}"


async def test_an_operator_reads_it_through_the_codec_server(recorded: Recorded) -> None:
    with capture_logs() as logs:
        history = await _show(recorded, auth=f"Bearer {recorded.token(OPERATOR_ROLE)}")
    texts = "\n".join(_all_text(history))
    for value in PERSONAL:
        assert value in texts, f"{value!r} not in the decoded history"
    decodes = [e for e in logs if e["event"] == "codec.decoded"]
    assert decodes and {e["operator"] for e in decodes} == {"ops-lan"}
    assert {e["namespace"] for e in decodes} == {"default"}
    assert sum(e["payloads"] for e in decodes) >= 10
    logged = json.dumps(logs, default=str, ensure_ascii=False)
    assert not [value for value in PERSONAL if value in logged]  # who and how many, not what


async def test_an_officer_without_the_operator_role_is_refused(recorded: Recorded) -> None:
    sealed = [p for p in _payloads(await _show(recorded)) if "data" in p][:1]
    officer = recorded.token("one-stop-officer")
    citizen = issue_token(
        recorded.settings, Citizen(personal_id="001203004512"), ttl=timedelta(minutes=5)
    )
    async with httpx.AsyncClient(base_url=recorded.codec_url) as http:
        for token in (officer, citizen):
            answer = await http.post(
                "/default/decode",
                json={"payloads": sealed},
                headers={"Authorization": f"Bearer {token}"},
            )
            assert answer.status_code == 403, answer.text
            assert "operator" in answer.json()["message"]
            assert "001203004512" not in answer.text
        anonymous = await http.post("/default/decode", json={"payloads": sealed})
        assert anonymous.status_code == 401 and "bearer token" in anonymous.json()["message"]
    # The real CLI gets no clear text with the wrong token either.
    refused = await _run_show(recorded, auth=f"Bearer {officer}")
    assert refused.returncode != 0 or not any(v in refused.stdout for v in PERSONAL)


async def _show(recorded: Recorded, *, auth: str | None = None) -> Any:
    done = await _run_show(recorded, auth=auth)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


async def _run_show(recorded: Recorded, *, auth: str | None) -> subprocess.CompletedProcess[str]:
    command = [
        temporal_cli(), "workflow", "show", "--workflow-id", recorded.workflow_id,
        "--address", recorded.address, "--namespace", "default", "--output", "json",
    ]  # fmt: skip
    if auth is not None:
        command += ["--codec-endpoint", f"{recorded.codec_url}/{{namespace}}"]
        command += ["--codec-auth", auth]
    # In a thread: the codec server answers the CLI on this test's event loop.
    return await asyncio.to_thread(
        subprocess.run, command, capture_output=True, text=True, timeout=60
    )


def _all_text(node: Any) -> Iterator[str]:
    """Every string in the history, and every base64 payload field decoded as well: a value in
    clear may hide as base64 as easily as in a JSON string."""
    if isinstance(node, dict):
        for value in node.values():
            yield from _all_text(value)
    elif isinstance(node, list):
        for value in node:
            yield from _all_text(value)
    elif isinstance(node, str):
        yield node
        try:
            decoded = base64.b64decode(node, validate=True)
        except ValueError:
            return  # not base64
        yield decoded.decode("utf-8", errors="replace")


def _payloads(node: Any) -> Iterator[dict[str, Any]]:
    """Every payload object (``{"metadata": ..., "data": ...}``) in the history."""
    if isinstance(node, dict):
        if "metadata" in node and isinstance(node["metadata"], dict):
            yield node
        for value in node.values():
            yield from _payloads(value)
    elif isinstance(node, list):
        for value in node:
            yield from _payloads(value)


def _metadata(payload: dict[str, Any]) -> dict[str, str]:
    return {
        key: base64.b64decode(value).decode("utf-8", errors="replace")
        for key, value in payload["metadata"].items()
    }
