"""What a slip says: the dossier's facts for one of the forms of Circular 03/2025/TT-VPCP,
Annex I, gathered from its read-model row and its event log.

The applicant is identified by their personal ID masked to its last four digits
(``********4512``): enough for the desk to match a slip to the ID card in front of it, while a
slip left on a counter, photographed or scanned gives no usable national ID away (Decree
13/2023 minimisation). Names and addresses are not in the read model at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, get_args

from motcua.definitions import Catalog, LocalizedName, Procedure
from motcua.dossier import (
    DeadlineExtended,
    DeadlineSet,
    DossierAccepted,
    DossierRefused,
    DossierSubmitted,
    Event,
    SupplementRequested,
)
from motcua.slips._qr import qr_data_uri, slip_payload
from motcua.store import DossierRow

__all__ = [
    "FORMS",
    "ISSUING_SYSTEM",
    "SLIP_KINDS",
    "HandOff",
    "Slip",
    "SlipFacts",
    "SlipKind",
    "SlipNotIssued",
    "build_slip",
    "masked_id",
]

SlipKind = Literal["receipt", "supplement", "refusal", "apology", "control"]
SLIP_KINDS: tuple[SlipKind, ...] = get_args(SlipKind)
ISSUING_SYSTEM = "motcua"

FORMS: dict[SlipKind, tuple[str, LocalizedName]] = {
    "receipt": ("01", LocalizedName(vi="Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
                                    en="Receipt and Appointment Slip")),
    "supplement": ("02", LocalizedName(vi="Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
                                       en="Request to Supplement")),
    "refusal": ("03", LocalizedName(vi="Phiếu từ chối tiếp nhận giải quyết hồ sơ",
                                    en="Refusal Slip")),
    "apology": ("04", LocalizedName(vi="Phiếu xin lỗi và hẹn lại ngày trả kết quả",
                                    en="Apology and extension notice")),
    "control": ("06", LocalizedName(vi="Phiếu kiểm soát quá trình giải quyết hồ sơ",
                                    en="Processing Control Sheet")),
}  # fmt: skip
"""Each kind's form number in Annex I and its official name (the name the QR code carries)."""


class SlipNotIssued(LookupError):
    """The dossier has not reached the point where this slip is issued (e.g. no refusal)."""


@dataclass(frozen=True)
class HandOff:
    """One row of the Processing Control Sheet: giver, receiver, when, and how timely."""

    at: datetime
    step: str | None
    handed_from: str | None
    handed_to: str | None
    due_at: datetime | None
    timeliness: str | None


@dataclass(frozen=True)
class SlipFacts:
    """What the form itself reports; each kind fills its own fields."""

    received_at: datetime | None = None
    appointment: datetime | None = None
    original_due_at: datetime | None = None
    documents: list[str] = field(default_factory=list)
    missing_documents: list[str] = field(default_factory=list)
    request_number: int | None = None
    reason: str | None = None
    hand_offs: list[HandOff] = field(default_factory=list)


@dataclass(frozen=True)
class Slip:
    kind: SlipKind
    form: str
    name: LocalizedName
    dossier_code: str
    procedure_code: str
    procedure_name: LocalizedName | None
    agency: str
    agency_name: LocalizedName | None
    applicant: str
    issued_at: datetime
    tracking_url: str
    payload: str
    qr: str = field(repr=False)
    facts: SlipFacts = field(default_factory=SlipFacts)


def masked_id(personal_id: str | None) -> str:
    """``********4512``: the personal ID's last four digits only."""
    if not personal_id:
        return "—"
    return "*" * max(len(personal_id) - 4, 0) + personal_id[-4:]


def build_slip(
    kind: SlipKind,
    *,
    row: DossierRow,
    events: list[Event],
    catalog: Catalog,
    tracking_url: str,
    issued_at: datetime,
) -> Slip:
    """The slip ``kind`` of the dossier ``row`` with its ``events``.

    Raises:
        SlipNotIssued: The dossier has no such slip (yet): not accepted, never refused, ….
    """
    procedure = _procedure(catalog, row)
    facts = _facts(kind, events, procedure)
    form, name = FORMS[kind]
    fields: dict[str, str | datetime | None] = {
        "dossier": row.dossier_code,
        "procedure": row.procedure_code,
        "applicant": masked_id(row.applicant_id),
        "document": name.vi,
        "system": ISSUING_SYSTEM,
        "issued": issued_at,
        "appointment": facts.appointment if kind == "receipt" else None,
    }
    payload = slip_payload(tracking_url, fields)
    agency = catalog.registry.agencies.get(row.agency) if catalog.registry else None
    return Slip(
        kind=kind,
        form=form,
        name=name,
        dossier_code=row.dossier_code,
        procedure_code=row.procedure_code,
        procedure_name=procedure.name if procedure else None,
        agency=row.agency,
        agency_name=agency.name if agency else None,
        applicant=masked_id(row.applicant_id),
        issued_at=issued_at,
        tracking_url=tracking_url,
        payload=payload,
        qr=qr_data_uri(payload),
        facts=facts,
    )


def _procedure(catalog: Catalog, row: DossierRow) -> Procedure | None:
    try:
        return catalog.get(row.procedure_code, row.procedure_version)
    except KeyError:  # a version no longer loaded: the slip shows the code alone
        return None


def _facts(kind: SlipKind, events: list[Event], procedure: Procedure | None) -> SlipFacts:
    names = {d.id: d.name for d in procedure.documents} if procedure else {}
    submitted = next((e for e in events if isinstance(e, DossierSubmitted)), None)
    received = submitted.occurred_at if submitted else None
    if kind == "receipt":
        accepted = [e for e in events if isinstance(e, DossierAccepted | DeadlineSet)]
        if not accepted:
            raise SlipNotIssued("the dossier has not been accepted")
        return SlipFacts(
            received_at=accepted[0].occurred_at,
            appointment=accepted[-1].due_at,  # a restarted clock sets a new appointment
            documents=[names.get(d, d) for d in (submitted.documents if submitted else [])],
        )
    if kind == "supplement":
        requests = [e for e in events if isinstance(e, SupplementRequested)]
        if not requests:
            raise SlipNotIssued("no supplement was requested")
        last = requests[-1]
        return SlipFacts(
            received_at=received,
            missing_documents=[names.get(d, d) for d in last.missing_documents],
            request_number=last.request_number,
        )
    if kind == "refusal":
        refused = next((e for e in events if isinstance(e, DossierRefused)), None)
        if refused is None:
            raise SlipNotIssued("the dossier was not refused")
        return SlipFacts(received_at=received, reason=refused.reason_code)
    if kind == "apology":
        extended = next((e for e in events if isinstance(e, DeadlineExtended)), None)
        if extended is None:
            raise SlipNotIssued("the deadline was not extended")
        return SlipFacts(original_due_at=extended.original_due_at, appointment=extended.due_at)
    return SlipFacts(
        received_at=received,
        hand_offs=[
            HandOff(e.occurred_at, e.step_id, e.handed_from, e.handed_to, e.due_at, e.timeliness)
            for e in events
            if e.handed_from or e.handed_to
        ],
    )
