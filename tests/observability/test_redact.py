"""What the redaction catches, and what it must leave alone for an operator to do their job."""

from __future__ import annotations

import json

import pytest

from motcua.observability import REDACTED, redact_text, redact_value

PERSONAL_ID = "001203004512"


@pytest.mark.parametrize(
    "text",
    [
        "applicant 001203004512.",  # a sentence's full stop
        "applicant 001203004512, then",
        "(001203004512)",
        "id=001203004512;",
        "applicant 001 203 004 512 called",
        "applicant 001-203-004512 called",
        '{"who": "001203004512"}',
        "/v1/dossiers?q=id%3A001203004512&note=call%20001203004512",
    ],
)
def test_masks_personal_ids_however_written(text: str) -> None:
    redacted = redact_text(text)
    digits = "".join(c for c in redacted if c.isdigit())
    assert PERSONAL_ID not in digits, redacted
    assert "001" in redacted and "*" in redacted  # the mask, not a deleted word


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("call 0912345678.", "912345678"),
        ("call 0912 345 678", "912345678"),
        ("call 0912.345.678", "912345678"),
        ("call +84912345678", "912345678"),
        ("call +84 912 345 678", "912345678"),
        ("call 84912345678", "912345678"),
        ("?note=call+0912345678&to=%2B84912345678", "912345678"),
        ("landline 02438256789", "2438256789"),
        ("old ID card 012345678.", "12345678"),
    ],
)
def test_masks_phone_numbers_and_old_id_cards(text: str, number: str) -> None:
    redacted = redact_text(text)
    assert number not in "".join(c for c in redacted if c.isdigit()), redacted


@pytest.mark.parametrize(
    "text",
    [
        "dossier 000.00.01.H29-260115-0001 accepted",
        "at 2026-01-15T10:30:00.123456+00:00",
        "at 2026-01-15 10:30:00,123",
        "fee 200000 VND, refund 1.500.000 đồng, paid 150000000 VND",
        "sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "reference 000.00.01.H29-260115-0001-FEE transaction TX-000123456789",
        "listening on 127.0.0.1:8000, version 1.004222",
        "epoch 1768471200000",
    ],
)
def test_keeps_dossier_codes_timestamps_hashes_and_amounts(text: str) -> None:
    assert redact_text(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "{'full_name': 'Nguyễn Văn An', 'address': '12 Hàng Bạc, Hoàn Kiếm'}",
        '{"fullName": "Nguyễn Văn An", "address": "12 Hàng Bạc, Hoàn Kiếm"}',
        "Applicant(full_name='Nguyễn Văn An', address='12 Hàng Bạc, Hoàn Kiếm')",
        "full_name=Nguyễn Văn An address=12 Hàng Bạc",
        "name: Nguyễn Văn An; email: an@example.vn; birth_date: 1990-05-17",
    ],
)
def test_drops_names_and_addresses_in_dict_json_and_logfmt_text(text: str) -> None:
    redacted = redact_text(text)
    for clear in ("Nguyễn", "Văn An", "Hàng Bạc", "an@example.vn", "1990-05-17"):
        assert clear not in redacted, redacted
    assert REDACTED in redacted


def test_a_json_message_stays_json_and_keeps_its_other_fields() -> None:
    message = json.dumps({"full_name": "Nguyễn Văn An", "dossier": "000.00.01.H29-260115-0001"})
    assert json.loads(redact_text(message)) == {
        "full_name": REDACTED,
        "dossier": "000.00.01.H29-260115-0001",
    }


def test_structured_values_lose_personal_fields_at_any_depth() -> None:
    value = {
        "applicant": {"personal_id": PERSONAL_ID, "full_name": "Trần Thị Bình", "age": 34},
        "contacts": [{"contact_phone": "0912345678"}],
        "amount": 150_000_000,
        "note": f"called {PERSONAL_ID}",
    }
    assert redact_value(value) == {
        "applicant": {"personal_id": REDACTED, "full_name": REDACTED, "age": 34},
        "contacts": [{"contact_phone": REDACTED}],
        "amount": 150_000_000,
        "note": "called 001*******12",
    }
