"""Logs never carry a personal ID or phone number in the clear."""

from __future__ import annotations

import json
import logging

import pytest
import structlog
from structlog.testing import capture_logs

from motcua.observability import configure_logging, redact_text


def test_redacts_personal_ids_and_phone_numbers() -> None:
    text = "citizen 001203004512 called from 0912345678 and +84912345678"
    redacted = redact_text(text)
    assert "001203004512" not in redacted and "0912345678" not in redacted
    assert "+84912345678" not in redacted
    assert "001*******12" in redacted


def test_keeps_hashes_amounts_and_dossier_codes() -> None:
    digest = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
    code = "000.00.01.H29-260115-0001"
    assert redact_text(f"{digest} {code} 200000 VND") == f"{digest} {code} 200000 VND"


def test_json_logs_of_structlog_and_stdlib_are_redacted(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(fmt="json", level="INFO")
    structlog.get_logger("motcua.test").info("dossier.submitted", applicant="001203004512")
    logging.getLogger("temporalio.activity").warning("paid by 0987654321")
    lines = [json.loads(line) for line in capsys.readouterr().err.strip().splitlines()]
    assert lines[0]["event"] == "dossier.submitted"
    assert lines[0]["applicant"] == "001*******12"
    assert "0987654321" not in lines[1]["event"]
    logging.getLogger().handlers.clear()


def test_personal_fields_are_dropped_from_extras_and_key_values(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging(fmt="json", level="INFO")
    applicant = {"personal_id": "001203004512", "full_name": "Nguyễn Thị Lan", "age": 34}
    structlog.get_logger("motcua.test").info(
        "dossier.filed", dossier="000.00.01.H29-260115-0001", applicant=applicant, amount=200000
    )
    logging.getLogger("temporalio.workflow").info(
        "applicant %s", applicant, extra={"address": "12 Hàng Bạc", "phone": "0912345678"}
    )
    output = capsys.readouterr().err
    filed, stdlib = (json.loads(line) for line in output.strip().splitlines())
    assert filed["applicant"] == {"personal_id": "[redacted]", "full_name": "[redacted]", "age": 34}
    assert (filed["dossier"], filed["amount"]) == ("000.00.01.H29-260115-0001", 200000)
    assert (stdlib["address"], stdlib["phone"]) == ("[redacted]", "[redacted]")
    assert "Nguyễn" not in output and "001203004512" not in output and "Hàng" not in output
    logging.getLogger().handlers.clear()


def test_an_unknown_level_is_refused_clearly() -> None:
    with pytest.raises(ValueError, match="unknown log level 'loud': use one of DEBUG, INFO"):
        configure_logging(level="loud")


def test_a_second_set_up_reaches_loggers_already_used() -> None:
    configure_logging(fmt="json", level="INFO")
    log = structlog.get_logger("motcua.test.cached")
    log.info("first")  # cached on first use, holding this set-up's processors
    configure_logging(fmt="json", level="INFO")  # as `motcua up` does after the CLI's
    with capture_logs() as captured:
        log.info("second")
    assert [entry["event"] for entry in captured] == ["second"]
    logging.getLogger().handlers.clear()
