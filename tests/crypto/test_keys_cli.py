"""`motcua keys`: rotation appends a key to the key file (mode 0600), after which payloads
written before still decrypt and new ones carry the new key's id; no command prints a secret."""

from __future__ import annotations

import base64
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.console import Console
from temporalio.api.common.v1 import Payload
from typer.testing import CliRunner

from motcua.cli import _common as cli_common
from motcua.cli import _keys as cli_keys
from motcua.cli import app
from motcua.crypto import KEY_ID, EncryptionCodec, KeyFile, parse_keys
from motcua.settings import get_settings

runner = CliRunner()
CLEAR = Payload(metadata={"encoding": b"json/plain"}, data=b'{"full_name":"Nguyen Thi Lan"}')


@pytest.fixture
def key_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    path = tmp_path / "secrets" / "motcua.keys"
    monkeypatch.delenv("MOTCUA_ENCRYPTION_KEYS", raising=False)  # the suite's own keys
    monkeypatch.setenv("MOTCUA_ENCRYPTION_KEY_FILE", str(path))
    wide = Console(width=250)  # long temporary paths on one line
    monkeypatch.setattr(cli_common, "console", wide)
    monkeypatch.setattr(cli_keys, "console", wide)
    get_settings.cache_clear()
    yield path
    get_settings.cache_clear()


def _invoke(*args: str) -> str:
    result = runner.invoke(app, list(args), terminal_width=200)
    assert result.exit_code == 0, result.output
    return result.output


async def test_rotation_keeps_old_payloads_readable_and_encrypts_with_the_new_key(
    key_file: Path,
) -> None:
    out = _invoke("keys", "rotate")  # no file yet: made with one key
    assert "0 older still decrypt" in out
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    before = KeyFile(key_file).load()
    [old] = await EncryptionCodec(before).encode([CLEAR])

    out = _invoke("keys", "rotate")
    after = KeyFile(key_file).load()
    assert after.ids[:-1] == before.ids and len(after.ids) == 2
    assert f"new key {after.current.id} encrypts; 1 older still decrypt" in out
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600

    codec = EncryptionCodec(after)
    [new] = await codec.encode([CLEAR])
    assert old.metadata[KEY_ID] == before.current.id.encode()
    assert new.metadata[KEY_ID] == after.current.id.encode()
    assert await codec.decode([old, new]) == [CLEAR, CLEAR]


def test_rotation_keeps_the_operators_comments(key_file: Path) -> None:
    key_file.parent.mkdir()
    first = KeyFile(key_file).create().current
    key_file.write_text(key_file.read_text() + "# rotated by Lan, ticket 42")  # no final newline
    _invoke("keys", "rotate")
    text = key_file.read_text()
    assert "# rotated by Lan, ticket 42\n" in text
    assert parse_keys(text, origin="f").ids[0] == first.id


def test_list_names_the_keys_and_the_one_that_encrypts_never_a_secret(key_file: Path) -> None:
    _invoke("keys", "rotate")
    _invoke("keys", "rotate")
    keyring = KeyFile(key_file).load()
    out = _invoke("keys", "list")
    assert f"{keyring.ids[0]}\n" in out and f"{keyring.ids[1]}  (encrypts)" in out
    assert not any(base64.b64encode(k.secret).decode() in out for k in keyring.keys)


def test_keys_from_the_environment_are_rotated_by_hand(
    key_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MOTCUA_ENCRYPTION_KEY_FILE")
    monkeypatch.setenv("MOTCUA_ENCRYPTION_KEYS", _invoke("keys", "new").strip())
    get_settings.cache_clear()
    result = runner.invoke(app, ["keys", "rotate"], terminal_width=200)
    assert result.exit_code == 1
    assert "MOTCUA_ENCRYPTION_KEYS" in result.output and "motcua keys new" in result.output
    assert not key_file.exists()


def test_a_broken_key_file_is_reported_with_its_line(key_file: Path) -> None:
    key_file.parent.mkdir()
    key_file.write_text("# keys\nk1:???\n")
    result = runner.invoke(app, ["keys", "list"], terminal_width=200)
    assert result.exit_code == 1
    assert f"{key_file}:2: key 'k1' is not valid base64" in result.output
