"""Helpers of the public pages' tests: dossiers filed and moved through the JSON API as a portal
and officers would, QR codes read from the page as a person's phone would, axe-core."""

from __future__ import annotations

import io
import uuid
from typing import Any
from urllib.parse import quote

import httpx
import zxingcpp
from axe_playwright_python.async_playwright import Axe
from PIL import Image
from playwright.async_api import Page

from tests.api.stack import OWNER, ApiStack
from tests.api.test_lifecycle_http import _dossier_code, _officer_decides
from tests.api.test_lifecycle_http import _wait_for as owner_reads

__all__ = [
    "APPLICANT",
    "accepted_dossier",
    "completed_dossier",
    "file_dossier",
    "owner_reads",
    "qr_text",
    "serious_violations",
]

# Personal data the portal sends: none of it may appear on a tracking page.
APPLICANT = {
    "personal_id": OWNER,
    "full_name": "Nguyễn Thị Lan",
    "birth_date": "1990-04-12",
    "address": "12 Hàng Bạc, Hoàn Kiếm, Hà Nội",
    "phone": "0912345678",
}


async def file_dossier(api: ApiStack, *, personal_id: str = OWNER) -> str:
    """A permanent-residence dossier (1.004222) filed online by ``personal_id``; its code."""
    citizen = api.citizen(personal_id)
    pdf = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
    upload = await api.http.post(
        "/v1/documents", headers=citizen, files={"file": ("ct01.pdf", pdf, "application/pdf")}
    )
    assert upload.status_code in (200, 201), upload.text  # 200: uploaded before
    body = {
        "procedure": "1.004222",
        "applicant": APPLICANT | {"personal_id": personal_id},
        "documents": [{"id": "ct01", "sha256": upload.json()["sha256"]}],
    }
    key = {"Idempotency-Key": f"portal-{uuid.uuid4().hex}"}
    filed = await api.http.post("/v1/dossiers", json=body, headers=citizen | key)
    assert filed.status_code in (201, 202), filed.text
    return await _dossier_code(api, filed)


async def accepted_dossier(api: ApiStack, *, personal_id: str = OWNER) -> dict[str, Any]:
    """A dossier the one-stop officer has accepted (it has its Receipt and Appointment Slip),
    as its owner reads it through the API."""
    code = await file_dossier(api, personal_id=personal_id)
    await _officer_decides(api, code, "one-stop-officer", "accept")
    # Accepted, and the payment platform holds the fee request (the citizen is asked to pay).
    return await owner_reads(
        api, code, "awaiting_payment", waiting_for="citizen: payment", personal_id=personal_id
    )


async def completed_dossier(api: ApiStack) -> str:
    """A dossier accepted, paid at the payment platform, reviewed, signed and issued; its code."""
    code = str((await accepted_dossier(api))["code"])
    async with httpx.AsyncClient(base_url=api.h.sims["payment"]) as platform:
        paid = await platform.post(f"/v1/payment-requests/{quote(code + '-FEE', safe='')}/pay")
        assert paid.status_code == 200, paid.text
    await _officer_decides(api, code, "residence-officer", "approve", officer="hoa")
    await _officer_decides(api, code, "police-chief", "approve", officer="chief-minh")
    await owner_reads(api, code, "completed")
    return code


def qr_text(png: bytes) -> str:
    """The text of the one QR code in ``png``."""
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert len(found) == 1, f"expected one QR code, found {len(found)}"
    assert found[0].format == zxingcpp.BarcodeFormat.QRCode
    return str(found[0].text)


async def serious_violations(page: Page) -> list[str]:
    """axe-core's serious and critical violations on the page, as ``id: help`` lines."""
    results = await Axe().run(page)
    return [
        f"{v['id']}: {v['help']}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
