"""Evidence and result hashes are keyed (HMAC-SHA256 with the deployment's pepper): stable for
one pepper, not a plain SHA-256 anyone can reverse by trying every 12-digit personal ID."""

from __future__ import annotations

import hashlib
import logging

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from activities.evidence import EvidenceHasher
from motcua.cli import app
from motcua.settings import DEV_EVIDENCE_PEPPER, MissingSecret, Settings, get_settings
from tests.conftest import ROOT

PERSON = "001203004512"


def test_the_hash_of_an_id_is_keyed_and_stable() -> None:
    hasher = EvidenceHasher("p" * 40)
    digest = hasher.digest("query", PERSON)
    assert digest == EvidenceHasher("p" * 40).digest("query", PERSON)
    assert digest != EvidenceHasher("q" * 40).digest("query", PERSON)
    assert digest != hashlib.sha256(PERSON.encode()).hexdigest()
    assert digest != hashlib.sha256(f"query{PERSON}".encode()).hexdigest()
    assert "p" * 40 not in repr(hasher)


def test_parts_are_not_confused_with_their_concatenation() -> None:
    hasher = EvidenceHasher(DEV_EVIDENCE_PEPPER)
    assert hasher.digest("1|2", "3") != hasher.digest("1", "2|3")
    assert hasher.digest("12", "3") != hasher.digest("1", "23")


def test_the_pepper_comes_from_settings_or_dev_mode_only() -> None:
    with pytest.raises(MissingSecret, match="MOTCUA_EVIDENCE_PEPPER is not set"):
        Settings(dev_mode=False).evidence_key()
    assert Settings(dev_mode=True).evidence_key() == DEV_EVIDENCE_PEPPER
    assert Settings(evidence_pepper="e" * 40).evidence_key() == "e" * 40
    with pytest.raises(ValidationError, match="at least 32 characters"):
        Settings(evidence_pepper="short")
    with pytest.raises(ValidationError, match="MOTCUA_DEV_MODE is refused in production"):
        Settings(environment="production", dev_mode=True)  # so the public pepper is, too


def test_a_worker_without_a_pepper_does_not_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOTCUA_PROCEDURES_DIR", str(ROOT / "procedure_defs"))
    monkeypatch.setenv("MOTCUA_ADAPTERS_FILE", str(ROOT / "adapters.yaml"))
    monkeypatch.setenv("MOTCUA_METRICS_PORT", "0")
    monkeypatch.delenv("MOTCUA_EVIDENCE_PEPPER", raising=False)
    monkeypatch.delenv("MOTCUA_DEV_MODE", raising=False)
    get_settings.cache_clear()
    handlers = logging.root.handlers[:]
    try:
        result = CliRunner().invoke(app, ["worker", "--agency", "commune-police"])
    finally:
        get_settings.cache_clear()
        logging.root.handlers[:] = handlers  # the command logged to the runner's closed stream
    assert result.exit_code == 1
    assert "MOTCUA_EVIDENCE_PEPPER is not set" in result.output
