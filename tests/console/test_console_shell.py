"""The console's shell, in a real browser: front page, languages, sign-in and its protections."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from playwright.async_api import Page, expect

from motcua.api import build_context, create_app
from motcua.definitions import Catalog
from motcua.settings import MissingSecret, Settings
from motcua.store import make_engine
from tests.api.stack import ApiStack
from tests.console.conftest import sign_in, sign_in_citizen


async def test_the_front_page_is_vietnamese_and_switches_to_english(page: Page) -> None:
    await page.goto("/")
    assert await page.locator("html").get_attribute("lang") == "vi"
    await expect(page.get_by_role("heading", level=1)).to_have_text("Dịch vụ công trực tuyến")
    await page.get_by_role("link", name="English").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Online public services")
    # The choice sticks for the next pages (a cookie), until switched back.
    await page.goto("/signin")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")


async def test_a_development_officer_signs_in_and_out(page: Page) -> None:
    await sign_in(page, "one-stop-officer@commune-pc")
    await expect(page.locator(".who")).to_have_text("one-stop-officer@commune-pc")
    cookie = next(c for c in await page.context.cookies() if c["name"] == "motcua_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    await page.get_by_role("button", name="Đăng xuất").click()
    await expect(page.get_by_role("link", name="Đăng nhập")).to_be_visible()


async def test_a_citizen_signs_in_with_a_personal_id(page: Page, console: ApiStack) -> None:
    await sign_in_citizen(page, "001203004512")
    await expect(page.locator(".who")).to_have_text("Công dân")


async def test_a_personal_id_that_is_not_12_digits_is_refused_with_a_reason(
    console: ApiStack,
) -> None:
    # The browser checks the pattern first; the server checks again for anything else.
    async with httpx.AsyncClient(base_url=console.url) as http:
        token = _csrf(await http.get("/signin"))
        answer = await http.post(
            "/signin/dev",
            data={"identity": "citizen", "personal_id": "12345", "csrf_token": token},
        )
    assert answer.status_code == 422
    assert "12 chữ số" in answer.text


async def test_a_form_posted_without_its_csrf_token_is_refused(console: ApiStack) -> None:
    async with httpx.AsyncClient(base_url=console.url) as http:
        await http.get("/signin")  # a session, with its token, but the form forgets it
        answer = await http.post("/signin/dev", data={"identity": "operator"})
    assert answer.status_code == 403
    assert "Biểu mẫu đã hết hạn" in answer.text
    async with httpx.AsyncClient(base_url=console.url) as http:
        token = _csrf(await http.get("/signin"))
        signed = await http.post("/signin/dev", data={"identity": "operator", "csrf_token": token})
    assert signed.status_code == 303  # the same form with its token is accepted


def _csrf(page: httpx.Response) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, "the form carries a CSRF token"
    return found.group(1)


async def test_after_sign_in_the_officer_returns_to_the_page_asked_for(page: Page) -> None:
    await page.goto("/signin?next=/procedures")
    await page.locator("#identity").select_option("operator")
    await page.locator("form", has=page.locator("#identity")).get_by_role("button").click()
    assert page.url.endswith("/procedures")
    # An outside address is never a destination (no open redirect).
    await page.goto("/signin?next=//evil.example/")
    assert await page.locator("input[name=next]").first.get_attribute("value") == "/"


def test_production_refuses_to_start_without_a_session_key(
    tmp_path: Path, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MOTCUA_CONSOLE_SESSION_SECRET")
    settings = Settings(environment="production", var_dir=tmp_path, oidc_issuer="https://id.test")
    engine = make_engine(f"sqlite:///{tmp_path / 'motcua.db'}")
    with pytest.raises(MissingSecret, match="MOTCUA_CONSOLE_SESSION_SECRET"):
        create_app(build_context(settings, engine=engine, catalog=catalog))
    engine.dispose()
