"""The citizen's tracking page and the receipt slip's QR code, in a real browser: the QR code
read off the slip opens the tracking page, which shows the status and no personal data; without
the dossier's own key there is nothing to see."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from playwright.async_api import Browser, Page, expect
from temporalio.testing import WorkflowEnvironment

from motcua.definitions import Catalog
from tests.api.stack import OTHER_CITIZEN, OWNER, ApiStack, api_stack
from tests.console.public import (
    APPLICANT,
    accepted_dossier,
    completed_dossier,
    owner_reads,
    qr_text,
    serious_violations,
)


async def test_the_receipt_slips_qr_code_opens_the_tracking_page(
    page: Page, console: ApiStack
) -> None:
    dossier = await accepted_dossier(console)
    code, tracking_url = dossier["code"], dossier["tracking_url"]
    assert tracking_url.startswith(f"{console.url}/track/{code}?k=")

    # The citizen opens the receipt slip from the tracking page and scans its QR code.
    await page.goto(tracking_url)
    await page.get_by_role("link", name="Giấy tiếp nhận và hẹn trả kết quả").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"
    )
    assert await serious_violations(page) == []
    payload = qr_text(await page.locator("img.qr").screenshot())

    # Circular 01/2023's fields ride in the fragment of the tracking URL.
    link, _, fragment = payload.partition("#")
    assert link == tracking_url
    fields = {name: values[0] for name, values in parse_qs(fragment).items()}
    assert fields["dossier"] == code
    assert fields["procedure"] == "1.004222"
    assert fields["applicant"] == "********" + OWNER[-4:]
    assert fields["document"] == "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"
    assert fields["system"] == "motcua"
    assert fields["issued"].endswith("+00:00") and fields["appointment"].endswith("+00:00")

    await page.goto(payload)
    await expect(page.get_by_role("heading", level=1)).to_contain_text(code)
    await expect(page.locator("dd.status-awaiting_payment")).to_have_text("Chờ nộp phí")
    await expect(page.get_by_text("Tiếp nhận hồ sơ, hẹn ngày trả kết quả")).to_be_visible()
    assert await serious_violations(page) == []
    html = await page.content()
    for personal in (OWNER, APPLICANT["full_name"], "1990", "12/04", "Hàng Bạc", "0912345678"):
        assert personal not in html, f"the tracking page shows {personal!r}"


async def test_without_its_own_key_a_dossier_cannot_be_tracked(console: ApiStack) -> None:
    mine = await accepted_dossier(console)
    theirs = await accepted_dossier(console, personal_id=OTHER_CITIZEN)
    their_key = parse_qs(urlsplit(theirs["tracking_url"]).query)["k"][0]
    async with httpx.AsyncClient(base_url=console.url) as browser:
        own = await browser.get(urlsplit(mine["tracking_url"]).path, params={"k": ""})
        borrowed = await browser.get(f"/track/{mine['code']}", params={"k": their_key})
        bare = await browser.get(f"/track/{mine['code']}")
        unknown = await browser.get("/track/000.00.00.X00-260101-9999", params={"k": their_key})
        slip = await browser.get(f"/track/{mine['code']}/slips/receipt", params={"k": their_key})
    for answer in (own, borrowed, bare, unknown, slip):
        assert answer.status_code == 404
        assert mine["code"] not in answer.text
    # An unknown dossier and a wrong key look the same: nothing says which codes exist.
    assert borrowed.text == unknown.text

    # The rating form is a form like any other: without the session's CSRF token, refused.
    own_key = parse_qs(urlsplit(mine["tracking_url"]).query)["k"][0]
    async with httpx.AsyncClient(base_url=console.url) as browser:
        await browser.get(f"/track/{mine['code']}", params={"k": own_key})
        forged = await browser.post(
            f"/track/{mine['code']}/rating", data={"k": own_key, "score": "1"}
        )
    assert forged.status_code == 403


@pytest.fixture
async def rating_console(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> AsyncIterator[ApiStack]:
    """The stack with a day to rate a finished dossier (the default stack closes it at once)."""
    async with api_stack(dev_env, catalog, tmp_path, settings={"rating_window_days": 1}) as stack:
        yield stack


async def test_the_citizen_rates_the_service_from_the_tracking_page(
    browser: Browser, rating_console: ApiStack
) -> None:
    code = await completed_dossier(rating_console)
    tracking_url = (await owner_reads(rating_console, code, "completed"))["tracking_url"]
    context = await browser.new_context()
    try:
        page = await context.new_page()
        await page.goto(tracking_url)
        await expect(page.locator("dd.status-completed")).to_have_text("Đã có kết quả")
        assert await serious_violations(page) == []
        await page.get_by_label("Rất hài lòng").check()
        await page.get_by_role("button", name="Gửi đánh giá").click()
        await expect(page.get_by_role("status")).to_have_text("Cảm ơn bạn đã đánh giá.")
    finally:
        await context.close()
    rated = await owner_reads(rating_console, code, "rated")
    assert rated["rating"] == 5
