"""The notify simulator: one message per key, and an outbox a test or a demo can read back."""

from __future__ import annotations

import httpx

from motcua.simulators import create_simulator, serving

NOTICE = {"audience": "citizen", "template": "receipt_slip", "facts": {"due": "2026-12-01"}}


def test_a_repeated_key_returns_the_first_receipt_and_sends_once() -> None:
    with serving(create_simulator("notify")) as url, httpx.Client(base_url=url) as http:
        first = http.post("/v1/messages", json={**NOTICE, "key": "k1", "recipient": "HS-1"})
        again = http.post("/v1/messages", json={**NOTICE, "key": "k1", "recipient": "HS-1"})
        other = http.post("/v1/messages", json={**NOTICE, "key": "k2", "recipient": "HS-2"})
        sent = http.get("/_sim/messages").json()

    assert first.status_code == 200
    assert again.json() == first.json()
    assert first.json()["message_id"] == "MSG-000001"
    assert other.json()["message_id"] == "MSG-000002"
    assert [m["key"] for m in sent] == ["k1", "k2"]


def test_the_outbox_filters_by_recipient_and_template() -> None:
    with serving(create_simulator("notify")) as url, httpx.Client(base_url=url) as http:
        http.post("/v1/messages", json={**NOTICE, "key": "a", "recipient": "HS-1"})
        http.post(
            "/v1/messages",
            json={**NOTICE, "key": "b", "recipient": "HS-1", "template": "supplement_request"},
        )
        http.post("/v1/messages", json={**NOTICE, "key": "c", "recipient": "HS-2"})
        to_one = http.get("/_sim/messages", params={"recipient": "HS-1"}).json()
        slips = http.get("/_sim/messages", params={"template": "receipt_slip"}).json()

    assert [m["key"] for m in to_one] == ["a", "b"]
    assert [m["recipient"] for m in slips] == ["HS-1", "HS-2"]
    assert to_one[0]["facts"] == {"due": "2026-12-01"}
    assert to_one[0]["message_id"] == "MSG-000001"


def test_an_invalid_notice_is_answered_with_the_field_at_fault() -> None:
    with serving(create_simulator("notify")) as url, httpx.Client(base_url=url) as http:
        answer = http.post(
            "/v1/messages", json={**NOTICE, "key": "k", "recipient": "HS-1", "audience": "robot"}
        )

    assert answer.status_code == 422
    body = answer.json()
    assert body["code"] == "invalid_request"
    assert [d["field"] for d in body["details"]] == ["body.audience"]
