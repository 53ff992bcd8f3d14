"""The agency simulator: answers by itself after a while, or waits for an operator."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from motcua.simulators import create_simulator, serving
from motcua.simulators.agency import Desk


def _request(reference: str, personal_id: str = "001090000123") -> dict[str, object]:
    return {
        "reference": reference,
        "dossier_code": "HS-1",
        "from_agency": "commune-justice",
        "to_agency": "provincial-court",
        "question": "Criminal record of the applicant?",
        "personal_id": personal_id,
    }


def test_the_reply_is_due_reply_after_seconds_after_receipt() -> None:
    app = create_simulator("agency", reply_after_seconds=600)
    desk: Desk = app.state.desk
    with serving(app) as url, httpx.Client(base_url=url) as http:
        ticket = http.post("/v1/consultations", json=_request("R1")).json()
        before = http.get("/v1/consultations/R1").json()
        later = desk.clock() + timedelta(seconds=601)
        desk.clock = lambda: later
        after = http.get("/v1/consultations/R1").json()

    assert ticket["ticket_id"] == "CT-000001"
    assert before == {
        "reference": "R1",
        "ticket_id": "CT-000001",
        "state": "pending",
        "reply": None,
    }
    assert after["state"] == "answered"
    assert after["reply"]["outcome"] == "agree"
    assert after["reply"]["officer"] == "officer@provincial-court"


def test_an_operator_answers_when_auto_reply_is_off() -> None:
    app = create_simulator("agency", reply_after_seconds=0, auto_reply=False)
    with serving(app) as url, httpx.Client(base_url=url) as http:
        http.post("/v1/consultations", json=_request("R1", personal_id="001090000996"))
        pending = http.get("/v1/consultations/R1").json()
        answered = http.post(
            "/_sim/consultations/R1/reply", json={"outcome": "object", "comment": "Có án tích"}
        ).json()
        twice = http.post("/_sim/consultations/R1/reply", json={"outcome": "agree"})
        unknown = http.post("/_sim/consultations/R9/reply", json={"outcome": "agree"})
        read = http.get("/v1/consultations/R1").json()

    assert pending["state"] == "pending"
    assert answered["state"] == "answered"
    assert (answered["reply"]["outcome"], answered["reply"]["comment"]) == ("object", "Có án tích")
    assert read == answered
    assert twice.status_code == 409
    assert twice.json()["code"] == "already_answered"
    assert unknown.status_code == 404


def test_a_bad_option_value_is_refused_when_the_app_is_built() -> None:
    with pytest.raises(ValueError, match="reply_after_seconds"):
        create_simulator("agency", reply_after_seconds=-1)
