"""The designer's procedure page in a real browser, over a read model holding a generated log
whose ``sign`` step is planted as the bottleneck (without it, ``review`` is the slowest)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from playwright.async_api import Browser, Page, expect

from motcua.analysis import generate, sample_procedure
from motcua.definitions import Catalog
from tests.console.conftest import sign_in, sign_in_citizen
from tests.console.read_model import console_over, new_page, serious_violations

CODE = "1.004222"


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> Iterator[str]:
    events = generate(300, seed=5, plant_bottleneck_step="sign", bottleneck_factor=8)
    with console_over(tmp_path_factory.mktemp("designer"), catalog, events) as base:
        yield base


@pytest.fixture
async def page(browser: Browser, base_url: str) -> AsyncIterator[Page]:
    async for page in new_page(browser, base_url):
        yield page


async def test_the_procedure_page_draws_every_step_and_marks_the_planted_bottleneck(
    page: Page,
) -> None:
    await sign_in(page, "residence-officer@commune-police")
    await page.goto("/designer")
    await page.get_by_role("link", name="Đăng ký thường trú", exact=True).click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Đăng ký thường trú")
    steps = [step.id for step in sample_procedure(CODE).steps]
    diagram = page.get_by_role("img", name="Sơ đồ quy trình thủ tục 1.004222, phiên bản 1")
    for step in steps:
        await expect(diagram.locator(f'[data-step="{step}"]')).to_contain_text(step)
        await expect(page.locator(f'#step-figures tr[data-step="{step}"]')).to_be_visible()
    heat = {
        step: int(
            (await diagram.locator(f'[data-step="{step}"]').get_attribute("class") or "").split(
                "heat-"
            )[1]
        )
        for step in steps
    }
    assert heat["sign"] == 4 and all(heat[s] < 4 for s in steps if s != "sign"), heat
    assert heat["verify"] == heat["fee"] == heat["result"] == 0  # automatic: no officer time
    worst = page.locator("#step-figures tr", has=page.locator(".worst"))
    await expect(worst).to_have_count(1)
    assert await worst.get_attribute("data-step") == "sign"
    await expect(worst.locator(".outcomes")).to_contain_text("approve")  # what its officers decide
    # The chart is pygal's, as an image with a text alternative; the candidates name the step.
    chart = page.get_by_role("img", name="Biểu đồ thanh", exact=False)
    assert (await chart.get_attribute("src") or "").startswith("data:image/svg+xml")
    sign_overrun = page.locator('#cut-candidates tr[data-kind="sla_overrun"]', has_text="sign")
    await expect(sign_overrun).to_contain_text("Quá hạn bước")
    await expect(page.get_by_text("Phiên bản 1", exact=True)).to_be_visible()
    assert await serious_violations(page) == []


async def test_the_pages_speak_english_and_pass_axe(page: Page) -> None:
    await sign_in(page, "operator")
    await page.goto("/designer?lang=en")
    assert await serious_violations(page) == []
    await page.goto(f"/designer/{CODE}")
    await expect(page.get_by_role("heading", name="Procedure diagram")).to_be_visible()
    await expect(page.locator("#step-figures .worst")).to_have_text("(the largest bottleneck)")
    assert await serious_violations(page) == []
    # A procedure no dossier has run yet: drawn all the same, without figures.
    await page.goto("/designer/2.000488")
    await expect(page.locator('[data-step="checks"]')).to_have_count(
        4
    )  # fork, 2 branches, table row
    await expect(page.get_by_text("No dossiers of this procedure yet", exact=False)).to_be_visible()
    await expect(page.locator('#step-figures tr[data-step="review"]')).to_contain_text("No task")
    await expect(page.locator('#step-figures tr[data-step="verify"]')).to_contain_text("Automatic")
    assert await serious_violations(page) == []


async def test_citizens_and_visitors_are_sent_to_sign_in(page: Page) -> None:
    await page.goto(f"/designer/{CODE}")
    assert "/signin?next=" in page.url
    await sign_in_citizen(page, "001203004512")
    await page.goto(f"/designer/{CODE}")
    assert "/signin?next=" in page.url


async def test_an_unknown_procedure_or_version_is_a_readable_404(page: Page) -> None:
    await sign_in(page, "operator")
    for address in (f"/designer/{CODE}?version=99", f"/designer/{CODE}?version=x", "/designer/9"):
        answer = await page.goto(address)
        assert answer is not None and answer.status == 404
        await expect(page.get_by_role("alert")).to_have_text("Không có thủ tục hoặc phiên bản này.")
