"""`motcua codec-server` as an operator starts it: the configured keys, a token from `motcua
tokens issue officer ... --role operator`, and a clear refusal when there is nothing to decode."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from google.protobuf import json_format
from temporalio.api.common.v1 import Payload

from motcua.crypto import EncryptionCodec, KeyFile
from tests.conftest import ROOT
from tests.ports import reserve_port


@pytest.fixture
def environ(tmp_path: Path) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MOTCUA_")}
    return clean | {
        "MOTCUA_ENVIRONMENT": "development",
        "MOTCUA_DEV_MODE": "true",
        "MOTCUA_VAR_DIR": str(tmp_path / "var"),
        "MOTCUA_PROCEDURES_DIR": str(ROOT / "procedure_defs"),
        "COLUMNS": "250",
    }


@pytest.fixture
def served(environ: dict[str, str], tmp_path: Path) -> Iterator[tuple[str, KeyFile]]:
    keys = KeyFile(tmp_path / "motcua.keys")
    keys.create()
    port = reserve_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "motcua.cli", "codec-server", "--port", str(port)],
        cwd=ROOT, env=environ | {"MOTCUA_ENCRYPTION_KEY_FILE": str(keys.path)},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            if server.poll() is not None:
                raise AssertionError(server.stdout.read().decode() if server.stdout else "")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield url, keys
    finally:
        server.terminate()
        server.wait(timeout=30)


async def test_an_operator_token_from_the_cli_decodes(
    served: tuple[str, KeyFile], environ: dict[str, str]
) -> None:
    url, keys = served
    issued = subprocess.run(
        [sys.executable, "-m", "motcua.cli", "tokens", "issue", "officer", "ops-lan",
         "--role", "operator", "--agency", "commune-police"],
        cwd=ROOT, env=environ, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert issued.returncode == 0, issued.stdout + issued.stderr
    clear = Payload(metadata={"encoding": b"json/plain"}, data=b'"Nguyen Thi Lan"')
    [sealed] = await EncryptionCodec(keys.load()).encode([clear])
    answer = httpx.post(
        f"{url}/default/decode",
        json={"payloads": [json_format.MessageToDict(sealed)]},
        headers={"Authorization": f"Bearer {issued.stdout.strip()}"},
    )
    assert answer.status_code == 200, answer.text
    assert json_format.ParseDict(answer.json()["payloads"][0], Payload()) == clear


def test_without_keys_there_is_nothing_to_serve(environ: dict[str, str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "motcua.cli", "codec-server", "--port", "0"],
        cwd=ROOT, env=environ, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 1
    assert "no payload keys are configured" in done.stdout
