"""Screenshots of the public pages for docs/console/ — run by hand, never by the test suite
(the file name keeps pytest from collecting it):

    MOTCUA_ENVIRONMENT=test .venv/bin/pytest tests/console/screenshots.py

Written as a test so it gets the real stack and browser from the fixtures.
"""

from __future__ import annotations

from pathlib import Path

from playwright.async_api import Page

from tests.api.stack import ApiStack
from tests.console.public import accepted_dossier, completed_dossier

DOCS = Path(__file__).resolve().parents[2] / "docs" / "console"


async def test_take_the_public_pages_screenshots(page: Page, console: ApiStack) -> None:
    DOCS.mkdir(parents=True, exist_ok=True)
    await completed_dossier(console)
    dossier = await accepted_dossier(console)
    await page.set_viewport_size({"width": 900, "height": 1100})
    await page.goto(dossier["tracking_url"])
    await page.screenshot(path=DOCS / "tracking.png", full_page=True)
    await page.goto(dossier["tracking_url"].replace("?k=", "/slips/receipt?k="))
    await page.screenshot(path=DOCS / "receipt-slip.png", full_page=True)
    await page.goto("/board/commune-police")
    await page.screenshot(path=DOCS / "board.png", full_page=True)
    await page.goto("/procedures/1.004222")
    await page.screenshot(path=DOCS / "catalogue.png", full_page=True)
