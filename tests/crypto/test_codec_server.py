"""The codec server's protocol over real HTTP: round trips, both routes (the CLI's path
namespace, the UI's X-Namespace header), readable errors, and CORS for the UI's origin only."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from google.protobuf import json_format
from structlog.testing import capture_logs
from temporalio.api.common.v1 import Payload

from motcua.api import Officer, issue_token, serving_api
from motcua.crypto import EncryptionCodec, Keyring, new_key
from motcua.crypto.server import MAX_BODY_BYTES, OPERATOR_ROLE, create_codec_app
from motcua.settings import Settings

UI = "https://temporal-ui.motcua.example"
CLEAR = {
    "metadata": {"encoding": base64.b64encode(b"json/plain").decode()},
    "data": base64.b64encode(b'{"phone":"0912345678"}').decode(),
}
KEYRING = Keyring((new_key(), new_key()))


@pytest.fixture
async def codec(tmp_path: Path) -> AsyncIterator[tuple[httpx.AsyncClient, dict[str, str]]]:
    settings = Settings(environment="test", dev_mode=True, var_dir=tmp_path, codec_cors_origin=UI)
    operator = Officer(id="ops-1", roles=[OPERATOR_ROLE], agencies=["commune-police"])
    token = issue_token(settings, operator, ttl=timedelta(minutes=5))
    app = create_codec_app(settings, EncryptionCodec(KEYRING))
    async with serving_api(app) as url, httpx.AsyncClient(base_url=url) as http:
        yield http, {"Authorization": f"Bearer {token}"}


async def test_encode_then_decode_through_both_routes(
    codec: tuple[httpx.AsyncClient, dict[str, str]],
) -> None:
    http, auth = codec
    encoded = await http.post("/agency-police/encode", json={"payloads": [CLEAR]}, headers=auth)
    assert encoded.status_code == 200, encoded.text
    [sealed] = encoded.json()["payloads"]
    assert base64.b64decode(sealed["metadata"]["encoding"]) == b"binary/encrypted"
    assert base64.b64decode(sealed["metadata"]["encryption-key-id"]) == KEYRING.current.id.encode()
    assert b"0912345678" not in base64.b64decode(sealed["data"])
    with capture_logs() as logs:
        decoded = await http.post(
            "/decode", json={"payloads": [sealed]}, headers={**auth, "X-Namespace": "ns-police"}
        )
    assert decoded.status_code == 200, decoded.text
    assert decoded.json() == {"payloads": [CLEAR]}
    assert {"event": "codec.decoded", "operator": "ops-1", "namespace": "ns-police",
            "payloads": 1, "log_level": "info"} in logs  # fmt: skip


async def test_a_payload_under_a_retired_key_is_refused_naming_the_key(
    codec: tuple[httpx.AsyncClient, dict[str, str]],
) -> None:
    http, auth = codec
    retired = new_key()
    [sealed] = await EncryptionCodec(Keyring((retired,))).encode(
        [json_format.ParseDict(CLEAR, Payload())]
    )
    body = {"payloads": [json_format.MessageToDict(sealed)]}
    answer = await http.post("/default/decode", json=body, headers=auth)
    assert answer.status_code == 422
    assert retired.id in answer.json()["message"]


@pytest.mark.parametrize(
    "body", [b"not json", b'{"payloads": "none"}', b'{"payloads": [{"colour": "red"}]}', b""]
)
async def test_a_malformed_body_gets_a_readable_400(
    codec: tuple[httpx.AsyncClient, dict[str, str]], body: bytes
) -> None:
    http, auth = codec
    answer = await http.post("/default/decode", content=body, headers=auth)
    assert answer.status_code == 400, answer.text
    assert "codec-server protocol" in answer.json()["message"]


async def test_an_oversized_body_is_refused_unread(
    codec: tuple[httpx.AsyncClient, dict[str, str]],
) -> None:
    http, auth = codec
    answer = await http.post("/default/decode", content=b" " * (MAX_BODY_BYTES + 1), headers=auth)
    assert answer.status_code == 413 and answer.json()["code"] == "too_large"


async def test_the_uis_origin_may_call_it_and_no_other(
    codec: tuple[httpx.AsyncClient, dict[str, str]],
) -> None:
    http, _ = codec
    preflight = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type,x-namespace",
    }
    allowed = await http.options("/decode", headers={"Origin": UI, **preflight})
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == UI
    other = await http.options("/decode", headers={"Origin": "https://evil.example", **preflight})
    assert "access-control-allow-origin" not in other.headers
