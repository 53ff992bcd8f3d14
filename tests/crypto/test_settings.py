"""Where a process's keys come from: production refuses to start without one, `motcua up`
makes a development key file under var/ (mode 0600) and every command then finds it."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from motcua.crypto import (
    EncryptionCodec,
    KeyFile,
    KeyringError,
    MissingEncryptionKey,
    converter_for,
    development_key_file,
    load_keyring,
    new_key,
    with_development_key,
)
from motcua.engine import connect
from motcua.settings import Settings
from tests.conftest import ROOT
from tests.ports import reserve_port


@pytest.fixture(autouse=True)
def no_suite_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MOTCUA_ENCRYPTION_KEYS", raising=False)  # the suite's own keys


async def test_production_without_a_key_refuses_to_connect(tmp_path: Path) -> None:
    settings = Settings(environment="production", var_dir=tmp_path)
    with pytest.raises(MissingEncryptionKey, match="MOTCUA_ENCRYPTION_KEY_FILE"):
        await connect(settings)  # refused before any connection is tried


def test_production_does_not_fall_back_to_the_development_key(tmp_path: Path) -> None:
    KeyFile(development_key_file(Settings(var_dir=tmp_path))).create()
    with pytest.raises(MissingEncryptionKey):
        load_keyring(Settings(environment="production", var_dir=tmp_path))
    with pytest.raises(MissingEncryptionKey):
        with_development_key(Settings(environment="production", var_dir=tmp_path))


def test_a_production_worker_without_a_key_exits_with_the_reason(tmp_path: Path) -> None:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("MOTCUA_")}
    environ |= {
        "MOTCUA_ENVIRONMENT": "production",
        "MOTCUA_EVIDENCE_PEPPER": "p" * 40,  # every other secret set: the key is what is missing
        "MOTCUA_VAR_DIR": str(tmp_path),
        "MOTCUA_METRICS_PORT": "0",
        "MOTCUA_DATABASE_URL": f"sqlite:///{tmp_path / 'motcua.db'}",
        "COLUMNS": "250",
    }
    done = subprocess.run(
        [sys.executable, "-m", "motcua.cli", "worker"],
        cwd=ROOT, env=environ, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr[-2000:]
    assert "no payload encryption key is configured" in done.stdout
    assert "MOTCUA_ENCRYPTION_KEY_FILE" in done.stdout and "Traceback" not in done.stderr


def test_production_with_a_key_file_encrypts(tmp_path: Path) -> None:
    keys = tmp_path / "motcua.keys"
    KeyFile(keys).create()
    converter = converter_for(Settings(environment="production", encryption_key_file=keys))
    assert isinstance(converter.payload_codec, EncryptionCodec)


def test_development_makes_a_key_file_once_and_every_process_finds_it(tmp_path: Path) -> None:
    plain = Settings(environment="development", var_dir=tmp_path / "var")
    assert load_keyring(plain) is None  # no key, not production: payloads in clear
    up = with_development_key(plain)
    path = tmp_path / "var" / "encryption.keys"
    assert up.encryption_key_file == path
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    made = load_keyring(up)
    assert made is not None
    again = with_development_key(plain)  # the next `motcua up`: the same key, not a new one
    assert load_keyring(again) == made
    assert load_keyring(plain) == made  # `motcua status`, `motcua decide`: found under var/


def test_configured_keys_are_never_replaced_by_a_development_key(tmp_path: Path) -> None:
    configured = Settings(var_dir=tmp_path, encryption_keys=new_key().line())
    assert with_development_key(configured) is configured
    assert not development_key_file(configured).exists()


def test_keys_in_both_places_are_refused(tmp_path: Path) -> None:
    settings = Settings(encryption_keys=new_key().line(), encryption_key_file=tmp_path / "k")
    with pytest.raises(KeyringError, match="not both"):
        load_keyring(settings)


def test_a_missing_key_file_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(KeyringError, match="motcua keys rotate"):
        load_keyring(Settings(encryption_key_file=tmp_path / "nowhere.keys"))


def test_up_makes_the_development_key_and_the_other_commands_use_it(tmp_path: Path) -> None:
    """`make run` in miniature: no key configured, so `motcua up` makes one under var/."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("MOTCUA_")}
    environ |= {
        "MOTCUA_ENVIRONMENT": "development",
        "MOTCUA_DEV_MODE": "true",
        "MOTCUA_VAR_DIR": str(tmp_path / "var"),
        "MOTCUA_TEMPORAL_ADDRESS": f"127.0.0.1:{reserve_port(0, 1000)}",  # and its UI
        "MOTCUA_DATABASE_URL": f"sqlite:///{tmp_path / 'var' / 'motcua.db'}",
        "MOTCUA_METRICS_PORT": "0",
        "MOTCUA_SIMULATOR_BASE_PORT": "0",
        "MOTCUA_API_PORT": "0",
        "COLUMNS": "250",
    }
    up = subprocess.run(
        [sys.executable, "-m", "motcua.cli", "up", "--no-wait"],
        cwd=ROOT, env=environ, capture_output=True, text=True, timeout=240,
    )  # fmt: skip
    assert up.returncode == 0, up.stdout[-2000:] + up.stderr[-2000:]
    key_file = tmp_path / "var" / "encryption.keys"
    assert f"payload keys          {key_file}" in up.stdout
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    [key_id] = KeyFile(key_file).load().ids
    listed = subprocess.run(
        [sys.executable, "-m", "motcua.cli", "keys", "list"],
        cwd=ROOT, env=environ, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert f"{key_id}  (encrypts)" in listed.stdout, listed.stdout + listed.stderr


def test_up_with_a_broken_key_stops_before_anything_starts(tmp_path: Path) -> None:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("MOTCUA_")}
    environ |= {
        "MOTCUA_ENVIRONMENT": "development",
        "MOTCUA_DEV_MODE": "true",
        "MOTCUA_VAR_DIR": str(tmp_path / "var"),
        "MOTCUA_ENCRYPTION_KEYS": "k1:not-base64!",
        "COLUMNS": "250",
    }
    up = subprocess.run(
        [sys.executable, "-m", "motcua.cli", "up", "--no-wait"],
        cwd=ROOT, env=environ, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert up.returncode == 1
    assert "MOTCUA_ENCRYPTION_KEYS:1: key 'k1' is not valid base64" in up.stdout
    assert not (tmp_path / "var" / "temporal.db").exists()
