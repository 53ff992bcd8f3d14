"""The public board: this month's figures per agency, equal to the Decision 766 computation."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from playwright.async_api import Page, expect

from motcua.analysis import compute_kpis
from motcua.console._board import month_start
from motcua.definitions import Catalog
from motcua.store import iter_events, make_engine
from tests.api.stack import ApiStack
from tests.console.public import accepted_dossier, completed_dossier, serious_violations

AGENCY = "commune-police"


async def test_the_board_shows_this_months_figures_as_the_kpis_count_them(
    page: Page, console: ApiStack, catalog: Catalog
) -> None:
    await completed_dossier(console)  # finished at once: early
    await accepted_dossier(console)  # still open, on time so far
    await page.goto("/board")
    await page.get_by_role("link", name="Công an xã").click()
    await expect(page).to_have_url(f"{console.url}/board/{AGENCY}")
    assert await serious_violations(page) == []

    shown = {
        name: await page.locator(f"[data-figure={name}]").inner_text()
        for name in ("received", "early", "on_time", "late", "rate")
    }
    assert shown | {"rate": ""} == {
        "received": "2",
        "early": "1",
        "on_time": "0",
        "late": "0",
        "rate": "",
    }
    # The rate is Decision 766's on-time indicator over the same month, as `motcua kpis` has it.
    zone = ZoneInfo(console.settings.agency_timezone)
    engine = make_engine(console.settings.database_url)
    try:
        events = list(iter_events(engine, agency=AGENCY))
    finally:
        engine.dispose()
    start = month_start(datetime.now(UTC), zone)
    kpis = compute_kpis(events, catalog, agency=AGENCY, start=start, zone=zone)
    on_time = kpis.agencies[0].get("on_time")
    assert (on_time.numerator, on_time.denominator) == (2, 2)
    assert shown["rate"] == f"{on_time.rate * 100:.1f}%"  # type: ignore[operator]


async def test_an_unknown_agency_has_no_board(page: Page) -> None:
    answer = await page.goto("/board/no-such-agency")
    assert answer is not None and answer.status == 404
