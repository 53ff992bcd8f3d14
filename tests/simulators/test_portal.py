"""The portal simulator: the latest status per dossier, as a citizen tracking it would read it."""

from __future__ import annotations

import httpx
import pytest

from motcua.simulators import create_simulator, serving

CODE = "000.00.02.H29-261123-0001"


def _status(seq: int, status: str, code: str = CODE) -> dict[str, object]:
    return {
        "dossier_code": code,
        "procedure_code": "birth-registration",
        "agency_code": "commune-police",
        "seq": seq,
        "status": status,
        "changed_at": f"2026-11-23T03:00:{seq:02d}Z",
    }


def test_the_highest_seq_wins_whatever_the_arrival_order() -> None:
    with serving(create_simulator("portal")) as url, httpx.Client(base_url=url) as http:
        path = f"/v1/dossiers/{CODE}/status"
        first = http.put(path, json=_status(3, "processing")).json()
        older = http.put(path, json=_status(2, "received")).json()
        same = http.put(path, json=_status(3, "processing")).json()
        held = http.get(path).json()

    assert first == {"dossier_code": CODE, "seq": 3, "applied": True}
    assert older == {"dossier_code": CODE, "seq": 2, "applied": False}
    assert same["applied"] is False
    assert (held["seq"], held["status"]) == (3, "processing")


def test_a_path_that_names_another_dossier_is_refused() -> None:
    with serving(create_simulator("portal")) as url, httpx.Client(base_url=url) as http:
        answer = http.put("/v1/dossiers/OTHER/status", json=_status(1, "received"))
        unknown = http.get("/v1/dossiers/OTHER/status")

    assert answer.status_code == 422
    assert answer.json()["code"] == "code_mismatch"
    assert answer.json()["details"] == {"path": "OTHER", "body": CODE}
    assert unknown.status_code == 404
    assert unknown.json()["code"] == "unknown_dossier"


def test_an_unknown_option_is_refused_when_the_app_is_built() -> None:
    with pytest.raises(ValueError, match="colour"):
        create_simulator("portal", colour="blue")
