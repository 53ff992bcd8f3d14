"""The decree's slips as PDF and as pages: Vietnamese text, the QR code in the upper left corner,
and who may print them."""

from __future__ import annotations

import io
from urllib.parse import urlsplit

import httpx
import pypdfium2
from playwright.async_api import Page, expect

from tests.api.stack import ApiStack
from tests.console.conftest import sign_in
from tests.console.public import accepted_dossier, qr_text, serious_violations


async def test_the_receipt_pdf_has_its_vietnamese_text_and_qr_code_upper_left(
    console: ApiStack,
) -> None:
    dossier = await accepted_dossier(console)
    link = urlsplit(dossier["tracking_url"])
    answer = await console.http.get(f"/track/{dossier['code']}/slips/receipt.pdf?{link.query}")
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/pdf"

    pdf = pypdfium2.PdfDocument(answer.content)
    assert len(pdf) == 1  # one A4 sheet
    sheet = pdf[0]
    assert (round(sheet.get_width() / 72 * 25.4), round(sheet.get_height() / 72 * 25.4)) == (
        210,
        297,
    )
    text = sheet.get_textpage().get_text_range()
    for expected in (
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        "Độc lập - Tự do - Hạnh phúc",
        "Đăng ký thường trú",
        "Hẹn trả kết quả vào:",
        dossier["code"],
    ):
        assert expected in text, f"{expected!r} is not in the PDF's text"

    image = sheet.render(scale=3).to_pil()
    png = io.BytesIO()
    image.save(png, format="PNG")
    payload = qr_text(png.getvalue())
    assert payload.startswith(dossier["tracking_url"] + "#v=1&")
    # The code sits in the sheet's upper left quarter (Circular 01/2023).
    box = _qr_box(png.getvalue())
    assert box[0] < image.width / 2 and box[1] < image.height / 4


def _qr_box(png: bytes) -> tuple[int, int]:
    import zxingcpp
    from PIL import Image

    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    corner = found[0].position.top_left
    return corner.x, corner.y


async def test_officers_of_the_dossiers_agency_print_its_slips(
    page: Page, console: ApiStack
) -> None:
    dossier = await accepted_dossier(console)
    code = dossier["code"]
    await page.goto(f"/dossiers/{code}/slips/control")
    back = f"%2Fdossiers%2F{code}%2Fslips%2Fcontrol"
    await expect(page).to_have_url(f"{console.url}/signin?next={back}")

    await sign_in(page, "one-stop-officer@commune-police")
    await page.goto(f"/dossiers/{code}/slips/control")
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        "Phiếu kiểm soát quá trình giải quyết hồ sơ"
    )
    await expect(page.locator("table.hand-offs tbody tr").first).to_be_visible()
    assert await serious_violations(page) == []
    await page.goto(f"/dossiers/{code}/slips/receipt")
    assert await serious_violations(page) == []
    # In English the labels change; the form keeps its official Vietnamese name, translated below.
    await page.goto(f"/dossiers/{code}/slips/receipt?lang=en")
    await expect(page.locator(".subtitle")).to_have_text("Receipt and Appointment Slip")
    await expect(page.get_by_text("Result due on:")).to_be_visible()
    await page.goto(f"/dossiers/{code}/slips/receipt?lang=vi")
    href = await page.get_by_role("link", name="Tải bản PDF").get_attribute("href")
    assert href == f"/dossiers/{code}/slips/receipt.pdf"
    pdf = await page.request.get(href)  # with the officer's session cookie
    assert pdf.headers["content-type"] == "application/pdf"
    assert (await pdf.body()).startswith(b"%PDF")

    # A slip the dossier was never issued, and another agency's officer: nothing to print.
    refusal = await page.goto(f"/dossiers/{code}/slips/refusal")
    assert refusal is not None and refusal.status == 404
    await expect(page.get_by_role("alert")).to_have_text("Hồ sơ này chưa có phiếu này.")
    await sign_in(page, "one-stop-officer@commune-pc")
    other = await page.goto(f"/dossiers/{code}/slips/receipt")
    assert other is not None and other.status == 404


async def test_an_unknown_slip_kind_is_refused_with_a_reason(console: ApiStack) -> None:
    dossier = await accepted_dossier(console)
    link = urlsplit(dossier["tracking_url"])
    async with httpx.AsyncClient(base_url=console.url) as browser:
        answer = await browser.get(f"/track/{dossier['code']}/slips/passport?{link.query}")
    assert answer.status_code == 422
    assert "receipt" in answer.json()["message"] + str(answer.json()["details"])
