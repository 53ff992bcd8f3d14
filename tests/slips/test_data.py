"""Which slip a dossier has, and what each says, from its events alone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs

import pytest

from motcua.definitions import Catalog
from motcua.dossier import (
    DeadlineExtended,
    DossierAccepted,
    DossierRefused,
    DossierSubmitted,
    Event,
    SupplementRequested,
)
from motcua.slips import SlipNotIssued, build_slip
from motcua.store import DossierRow

CODE = "000.00.02.H29-260115-0001"
AT = datetime(2026, 1, 15, 2, 30, tzinfo=UTC)
DUE = AT + timedelta(days=9)


def _envelope(seq: int) -> dict[str, Any]:
    return {
        "event_id": f"wf:{seq:06d}",
        "workflow_id": "wf",
        "seq": seq,
        "dossier_code": CODE,
        "procedure_code": "1.004222",
        "procedure_version": 1,
        "agency": "commune-police",
        "occurred_at": AT + timedelta(hours=seq),
    }


SUBMITTED = DossierSubmitted(**_envelope(1), submission_id="s1", documents=["ct01"])


def _slip(kind: str, events: list[Event], catalog: Catalog) -> Any:
    row = DossierRow(
        dossier_code=CODE,
        procedure_code="1.004222",
        procedure_version=1,
        agency="commune-police",
        applicant_id="001203004512",
    )
    return build_slip(
        kind,  # type: ignore[arg-type]
        row=row,
        events=events,
        catalog=catalog,
        tracking_url=f"https://example.vn/track/{CODE}?k=KEY",
        issued_at=AT + timedelta(days=1),
    )


def test_the_receipt_names_the_documents_received_and_the_appointment(catalog: Catalog) -> None:
    accepted = DossierAccepted(**_envelope(2), due_at=DUE)
    slip = _slip("receipt", [SUBMITTED, accepted], catalog)
    assert slip.facts.appointment == DUE
    assert slip.facts.documents == [catalog.get("1.004222", 1).documents[0].name]
    assert slip.applicant == "********4512"
    fields = parse_qs(slip.payload.partition("#")[2])
    assert fields["appointment"] == [DUE.isoformat()]
    assert fields["applicant"] == ["********4512"]


def test_each_slip_says_what_its_form_reports(catalog: Catalog) -> None:
    supplement = SupplementRequested(**_envelope(2), missing_documents=["ct01"], request_number=1)
    slip = _slip("supplement", [SUBMITTED, supplement], catalog)
    assert slip.facts.missing_documents == [catalog.get("1.004222", 1).documents[0].name]
    assert slip.facts.request_number == 1
    assert "appointment" not in parse_qs(slip.payload.partition("#")[2])  # receipts only

    refused = DossierRefused(**_envelope(2), reason_code="officer_decision")
    assert _slip("refusal", [SUBMITTED, refused], catalog).facts.reason == "officer_decision"

    later = DUE + timedelta(days=2)
    extended = DeadlineExtended(**_envelope(3), due_at=later, original_due_at=DUE)
    apology = _slip("apology", [SUBMITTED, extended], catalog)
    assert (apology.facts.original_due_at, apology.facts.appointment) == (DUE, later)


@pytest.mark.parametrize("kind", ["receipt", "supplement", "refusal", "apology"])
def test_a_slip_not_issued_yet_is_not_made(kind: str, catalog: Catalog) -> None:
    with pytest.raises(SlipNotIssued):
        _slip(kind, [SUBMITTED], catalog)
