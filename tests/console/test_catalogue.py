"""The procedure catalogue: what to bring and what a database provides, fees by channel, each
procedure's QR code, and the A4 notice for the one-stop desk."""

from __future__ import annotations

import pypdfium2
from playwright.async_api import Page, expect

from tests.api.stack import ApiStack
from tests.console.public import qr_text, serious_violations


async def test_a_procedure_page_says_what_to_bring_and_what_it_costs(
    page: Page, console: ApiStack
) -> None:
    await page.goto("/procedures")
    assert await serious_violations(page) == []
    await page.get_by_role("link", name="Đăng ký thường trú", exact=True).click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Đăng ký thường trú")
    assert await serious_violations(page) == []

    brings = page.locator("h2:has-text('Giấy tờ công dân cần nộp') + ul")
    await expect(brings).to_contain_text("CT01")
    provided = page.locator("h2:has-text('Giấy tờ không phải nộp') + ul")
    await expect(provided).to_contain_text("lawful residence")
    await expect(page.get_by_text("Nộp trực tuyến: 10.000 VND")).to_be_visible()
    await expect(page.get_by_text("Nộp trực tiếp: 20.000 VND")).to_be_visible()
    await expect(page.get_by_text("7 ngày làm việc")).to_be_visible()

    # The QR code on the page opens the page.
    assert qr_text(await page.locator("img.qr-code").screenshot()) == (
        f"{console.url}/procedures/1.004222"
    )


async def test_an_interconnected_group_lists_its_procedures(page: Page) -> None:
    await page.goto("/procedures")
    await page.locator("a[href='/procedures/3.000722']").click()
    await expect(page.locator("main ol li")).to_have_count(3)
    await page.locator("main ol li a").first.click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Đăng ký khai sinh")
    await page.go_back()
    assert await serious_violations(page) == []


async def test_the_desk_notice_prints_on_a4_with_its_qr_code(page: Page, console: ApiStack) -> None:
    await page.goto("/procedures/1.004222/notice")
    assert await serious_violations(page) == []
    assert qr_text(await page.locator("img.qr-code").screenshot()) == (
        f"{console.url}/procedures/1.004222"
    )
    printed = pypdfium2.PdfDocument(await page.pdf(prefer_css_page_size=True))
    sheet = printed[0]
    millimetres = (sheet.get_width() / 72 * 25.4, sheet.get_height() / 72 * 25.4)
    assert (round(millimetres[0]), round(millimetres[1])) == (210, 297)
    text = sheet.get_textpage().get_text_range()
    assert "Đăng ký thường trú" in text
    assert "Bàn làm việc" not in text  # the console's navigation is not printed


async def test_an_unknown_procedure_is_a_404_page(page: Page) -> None:
    answer = await page.goto("/procedures/9.999999")
    assert answer is not None and answer.status == 404
