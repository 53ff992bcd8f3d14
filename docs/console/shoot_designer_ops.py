"""Take docs/console/procedure.png and docs/console/ops.png: the console over a generated log
(``sign`` planted as the bottleneck, one dossier left waiting there), in Debian's Chromium.
Run by hand from the repository root, and commit the PNGs:
``PYTHONPATH=. .venv/bin/python docs/console/shoot_designer_ops.py``."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from playwright.async_api import async_playwright

from motcua.analysis import generate
from motcua.definitions import load_catalog
from tests.console.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.console.read_model import console_over, left_waiting

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "console"


async def shoot(base: str) -> None:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        page = await browser.new_page(base_url=base, viewport={"width": 1280, "height": 900})
        await page.goto("/signin")
        await page.locator("#identity").select_option("operator")
        await page.locator("form", has=page.locator("#identity")).get_by_role("button").click()
        await page.goto("/designer/1.004222?lang=en")
        await page.screenshot(path=OUT / "procedure.png", full_page=True)
        await page.goto("/ops?agency=commune-police&period=2026-Q1")
        await page.screenshot(path=OUT / "ops.png", full_page=True)
        await browser.close()


def main() -> None:
    events = left_waiting(generate(300, seed=5, plant_bottleneck_step="sign"), "sign")
    catalog = load_catalog(ROOT / "procedure_defs")
    with tempfile.TemporaryDirectory() as tmp, console_over(Path(tmp), catalog, events) as base:
        asyncio.run(shoot(base))


if __name__ == "__main__":
    main()
