"""Browser fixtures: Debian's Chromium (/usr/bin/chromium) driven by Playwright, never a browser
download; and the whole stack (Temporal, workers, simulators, the API serving the console).

Without Chromium the browser tests are skipped with a notice locally, and fail in CI (CI=true),
where `.ci/run` installs it.
"""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, BrowserContext, Page, async_playwright
from temporalio.testing import WorkflowEnvironment

from motcua.definitions import Catalog
from tests.api.stack import ApiStack, api_stack

CHROMIUM = Path("/usr/bin/chromium")
# Headless, no sandbox (root in CI), and no calls home: this machine's network is closed.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium); browser tests skipped")
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            await chromium.close()


@pytest.fixture
async def console(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> AsyncIterator[ApiStack]:
    """The API and the console on a free loopback port, with the engine behind them."""
    async with api_stack(dev_env, catalog, tmp_path) as stack:
        yield stack


@pytest.fixture
async def page(browser: Browser, console: ApiStack) -> AsyncIterator[Page]:
    """A fresh browser profile (no cookies) on the console's address."""
    context: BrowserContext = await browser.new_context(base_url=console.url)
    context.set_default_timeout(15_000)
    try:
        yield await context.new_page()
    finally:
        await context.close()


async def sign_in(page: Page, identity: str) -> None:
    """Sign in through the dev-mode page as ``identity`` (``role@agency``, or ``operator``)."""
    await page.goto("/signin")
    await page.get_by_label(re.compile("role@agency|vai trò@cơ quan")).select_option(identity)
    await page.locator("form", has=page.locator("#identity")).get_by_role("button").click()
    await page.wait_for_load_state()


async def sign_in_citizen(page: Page, personal_id: str) -> None:
    await page.goto("/signin")
    await page.locator("#personal_id").fill(personal_id)
    await page.locator("form", has=page.locator("#personal_id")).get_by_role("button").click()
    await page.wait_for_load_state()
