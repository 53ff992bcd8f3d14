"""The officer's desk in a real browser: a dossier filed through the API is received, reviewed
and approved by clicking through the console as three officers, and the workflow's refusals
(four-eyes, an outcome the step does not offer) are shown on the page."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Page, expect
from temporalio.testing import WorkflowEnvironment

from motcua.definitions import Catalog
from motcua.services import Officer
from motcua.simulators import serving
from motcua.simulators.idp import create_app as create_idp
from tests.api.stack import ApiStack, api_stack
from tests.console.conftest import sign_in
from tests.console.desk_helpers import (
    file_birth_registration,
    open_from_inbox,
    screenshot,
    serious_violations,
    sign_in_at_provider,
    wait_in_inbox,
)


@pytest.fixture
async def console(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> AsyncIterator[ApiStack]:
    """The whole stack, trusting the simulated identity provider too (officers of several
    roles sign in there)."""
    with serving(create_idp()) as idp:
        async with api_stack(dev_env, catalog, tmp_path, settings={"oidc_issuer": idp}) as stack:
            yield stack


# Holds both roles: reviews the dossier, and is then refused its approval (four-eyes).
HOA = Officer(id="hoa", roles=["civil-status-officer", "chairman"], agencies=["commune-pc"])


async def _decide(page: Page, outcome: str) -> None:
    await page.get_by_role("button", name="Nhận xử lý").click()
    await page.get_by_label("Quyết định").select_option(label=outcome)
    await page.get_by_role("button", name="Gửi quyết định").click()
    await page.wait_for_load_state()


async def test_three_officers_take_a_dossier_to_its_result_on_the_desk(
    page: Page, console: ApiStack
) -> None:
    code = await file_birth_registration(console)

    # The one-stop officer receives it; an outcome the step does not offer, sent from a stale
    # or altered form, is refused by the workflow and said on the page in Vietnamese.
    await sign_in(page, "one-stop-officer@commune-pc")
    await open_from_inbox(page, code)
    await page.get_by_role("button", name="Nhận xử lý").click()
    outcome = page.get_by_label("Quyết định")
    await expect(outcome.locator("option")).to_have_text(
        ["Tiếp nhận", "Yêu cầu bổ sung", "Từ chối tiếp nhận"]
    )
    # Only documents no database provides may be asked for.
    await expect(page.get_by_role("group").locator("label")).to_have_text(
        [re.compile("Tờ khai đăng ký khai sinh")]
    )
    await outcome.evaluate("s => s.add(new Option('approve', 'approve', true, true))")
    await page.get_by_role("button", name="Gửi quyết định").click()
    await expect(page.get_by_role("alert")).to_contain_text(
        "Quyết định này không có ở bước hiện tại"
    )
    await page.get_by_label("Quyết định").select_option(label="Tiếp nhận")
    await page.get_by_role("button", name="Gửi quyết định").click()
    await expect(page.get_by_role("alert")).to_have_count(0)

    # A civil-status officer who also holds the chairman's role reviews it...
    await sign_in_at_provider(page, HOA)
    await open_from_inbox(page, code)
    await _decide(page, "Phê duyệt")
    # ...and is not offered its approval; claiming it anyway is refused by the four-eyes rule.
    await open_from_inbox(page, code)
    await expect(page.get_by_text("nguyên tắc bốn mắt")).to_be_visible()
    await expect(page.get_by_role("button", name="Gửi quyết định")).to_have_count(0)
    await page.get_by_role("button", name="Nhận xử lý").click()
    await expect(page.get_by_role("alert")).to_contain_text("nguyên tắc bốn mắt")

    # The chairman approves it and the result is issued.
    await page.context.clear_cookies()
    await sign_in(page, "chairman@commune-pc")
    await open_from_inbox(page, code)
    await _decide(page, "Phê duyệt")
    for _ in range(100):
        await page.reload()
        if await page.locator(".status").text_content() in ("completed", "rated"):
            break
    await expect(page.locator(".status")).to_have_text("completed")
    sheet = page.locator("table.sheet")
    await expect(sheet).to_contain_text("result.delivered")
    await expect(sheet).to_contain_text("chairman@commune-pc")


async def test_signed_out_the_desk_sends_to_sign_in_and_forms_need_their_token(page: Page) -> None:
    await page.goto("/desk")
    assert re.search(r"/signin\?next=%2Fdesk$", page.url), page.url
    await page.goto("/desk/dossiers/000.00.00.H29-260115-0001")
    assert "/signin?next=" in page.url
    # A desk action posted without the form's CSRF token is refused before anything else.
    await sign_in(page, "one-stop-officer@commune-pc")
    posted = await page.request.post(
        "/desk/tasks/000.00.00.H29-260115-0001/receive-1/claim",
        form={"dossier": "000.00.00.H29-260115-0001"},
    )
    assert posted.status == 403 and "Biểu mẫu đã hết hạn" in await posted.text()


async def test_claim_release_and_the_desk_pages_pass_axe_core(
    page: Page, console: ApiStack
) -> None:
    code = await file_birth_registration(console)
    other = await file_birth_registration(console)
    await sign_in(page, "one-stop-officer@commune-pc")
    await open_from_inbox(page, code)
    # Claimed, released (back to the inbox for colleagues), claimed again.
    await page.get_by_role("button", name="Nhận xử lý").click()
    await page.get_by_role("button", name="Trả lại").click()
    await expect(page.get_by_text("Chưa nhận")).to_be_visible()
    await page.get_by_role("button", name="Nhận xử lý").click()
    await expect(page.get_by_text("Đang xử lý: one-stop-officer@commune-pc")).to_be_visible()
    await expect(page.get_by_role("button", name="Gửi quyết định")).to_be_visible()
    assert await serious_violations(page) == []
    await screenshot(page, "dossier")
    # The applicant's file downloads, by the API's document rules, with the officer's session.
    href = await page.get_by_role("link", name="declaration.pdf").get_attribute("href")
    assert href is not None
    download = await page.request.get(href)
    assert download.ok and (await download.body()).startswith(b"%PDF")
    assert (await page.request.get(href.replace(href.rsplit("/", 1)[1], "0" * 64))).status == 404
    await wait_in_inbox(page, other)
    assert await serious_violations(page) == []
    await screenshot(page, "desk")
    # Filters: by step, and a filter that is no step code finds nothing (a page, not an error).
    await page.get_by_label("Bước").fill("review")
    await page.get_by_role("button", name="Lọc").click()
    await expect(page.get_by_text("Không có việc nào cần xử lý.")).to_be_visible()
    await page.get_by_label("Bước").fill("receive")
    await page.get_by_role("button", name="Lọc").click()
    await expect(page.get_by_role("link", name=code)).to_be_visible()
    await expect(page.get_by_role("link", name=other)).to_be_visible()
    odd = await page.goto("/desk?step=%3Cscript%3E")
    assert odd is not None and odd.status == 200
    await expect(page.get_by_text("Không có việc nào cần xử lý.")).to_be_visible()

    # A request to supplement lists the missing document; the dossier then waits for the citizen.
    await open_from_inbox(page, code)
    await page.get_by_label("Quyết định").select_option(label="Yêu cầu bổ sung")
    await page.get_by_label(re.compile("Tờ khai đăng ký khai sinh")).check()
    await page.get_by_label("Ý kiến, lý do").fill("Tờ khai chưa có chữ ký")
    await page.get_by_role("button", name="Gửi quyết định").click()
    await expect(page.get_by_role("alert")).to_have_count(0)
    for _ in range(100):
        if await page.locator(".status").text_content() == "awaiting_supplement":
            break
        await page.reload()
    await expect(page.locator(".status")).to_have_text("awaiting_supplement")
    await expect(page.locator("table.sheet")).to_contain_text("request_supplement")
    await page.goto("/desk?lang=en")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Dossiers to handle")
    assert await serious_violations(page) == []
