"""The operations page in a real browser: the Decision 766 scorecard is the one ``motcua kpis``
prints for the same agency and period; dossiers waiting at a step, and those past its SLA; only
operators get in."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from playwright.async_api import Browser, Page, expect
from typer.testing import CliRunner

from motcua.analysis import generate
from motcua.cli import app
from motcua.definitions import Catalog
from motcua.settings import get_settings
from tests.conftest import ROOT
from tests.console.conftest import sign_in, sign_in_citizen
from tests.console.read_model import (
    console_over,
    left_waiting,
    new_page,
    number,
    serious_violations,
)

AGENCY = "commune-police"


@pytest.fixture(scope="module")
def served(
    tmp_path_factory: pytest.TempPathFactory, catalog: Catalog
) -> Iterator[tuple[str, Path]]:
    tmp = tmp_path_factory.mktemp("ops")
    # A generated year in which one dossier has waited at ``sign`` since January.
    events = left_waiting(generate(300, seed=7), "sign")
    with console_over(tmp, catalog, events) as base:
        yield base, tmp


@pytest.fixture
async def page(browser: Browser, served: tuple[str, Path]) -> AsyncIterator[Page]:
    async for page in new_page(browser, served[0]):
        yield page


def _kpis_cli(tmp: Path, *args: str) -> dict[str, Any]:
    with pytest.MonkeyPatch.context() as env:
        env.setenv("MOTCUA_DATABASE_URL", f"sqlite:///{tmp / 'motcua.db'}")
        env.setenv("MOTCUA_VAR_DIR", str(tmp / "var"))
        env.setenv("MOTCUA_PROCEDURES_DIR", str(ROOT / "procedure_defs"))
        get_settings.cache_clear()
        try:
            result = CliRunner().invoke(app, ["kpis", "--json", *args])
        finally:
            get_settings.cache_clear()
    assert result.exit_code == 0, result.stdout
    report: dict[str, Any] = json.loads(result.stdout)
    return report


async def test_the_scorecard_is_the_one_motcua_kpis_prints(
    page: Page, served: tuple[str, Path]
) -> None:
    await sign_in(page, "operator")
    await page.goto("/ops")
    await page.get_by_label("Cơ quan").select_option(AGENCY)
    await page.get_by_label("Kỳ báo cáo").select_option(label="Quý 1/2026")
    await page.get_by_role("button", name="Xem").click()
    assert "period=2026-Q1" in page.url
    await expect(page.get_by_role("heading", level=2).first).to_contain_text("Quý 1/2026")

    expected = _kpis_cli(
        served[1], "--agency", AGENCY, "--from", "2026-01-01", "--to", "2026-04-01"
    )
    (kpis,) = expected["agencies"]
    assert kpis["dossiers"] > 50  # a quarter of the generated year
    card = page.locator(f'table.scorecard[data-agency="{AGENCY}"]')
    for indicator in kpis["indicators"]:
        row = card.locator(f'tr[data-indicator="{indicator["id"]}"]')
        counts = f"{indicator['numerator']}/{indicator['denominator']}"
        await expect(row.locator(".counts")).to_have_text(counts)
        points = await row.locator(".points").inner_text()
        if indicator["scored"] is None:
            assert points.startswith("không áp dụng"), points
        else:
            assert number(points) == pytest.approx(indicator["scored"], abs=0.005)
    total = await card.locator("tr.total .points").inner_text()
    assert number(total) == pytest.approx(kpis["total_score"], abs=0.005)
    assert await serious_violations(page) == []


async def test_dossiers_waiting_and_overdue_at_a_step_link_to_the_temporal_ui(page: Page) -> None:
    await sign_in(page, "operator")
    await page.goto(f"/ops?agency={AGENCY}&lang=en")
    row = page.locator('#open-by-step tr[data-step="sign"]')
    await expect(row.locator("td").nth(3)).to_have_text("1")  # waiting at sign
    await expect(row.locator("td").nth(4)).to_have_text("1")  # past sign's SLA since January
    link = unquote(await row.get_by_role("link").get_attribute("href") or "")
    assert link.startswith("http://127.0.0.1:8233/namespaces/default/workflows?query=")
    assert 'MotcuaAgency="commune-police"' in link and 'MotcuaProcedure="1.004222"' in link
    assert await page.get_by_role("img", name="Bar chart", exact=False).count() == 1
    assert await serious_violations(page) == []


async def test_only_operators_see_the_operations_page(page: Page) -> None:
    await sign_in(page, "police-chief@commune-police")
    answer = await page.goto("/ops")
    assert answer is not None and answer.status == 403
    await expect(page.get_by_role("alert")).to_have_text(
        "Trang vận hành chỉ dành cho cán bộ vận hành hệ thống."
    )
    assert await serious_violations(page) == []
    await sign_in_citizen(page, "001203004512")
    await page.goto("/ops")
    assert "/signin?next=%2Fops" in page.url


async def test_a_period_that_is_not_one_is_refused_with_a_reason(page: Page) -> None:
    await sign_in(page, "operator")
    answer = await page.goto("/ops?period=2026-13")
    assert answer is not None and answer.status == 422
    await expect(page.get_by_role("alert")).to_contain_text("2026-Q4")
