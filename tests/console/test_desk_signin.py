"""Signing in to the console through an identity provider: the authorization-code flow with
PKCE, end to end in the browser against the simulated provider (``motcua sim idp``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
from playwright.async_api import Browser, expect

from motcua.api import build_context, create_app
from motcua.definitions import Catalog
from motcua.settings import Settings
from motcua.simulators import serving
from motcua.simulators.idp import create_app as create_idp
from motcua.store import make_engine, migrate


@pytest.fixture
def site(tmp_path: Path, catalog: Catalog) -> Iterator[tuple[str, str]]:
    """The console trusting the simulated provider (no dev mode); (console URL, IdP URL)."""
    url = f"sqlite:///{tmp_path / 'motcua.db'}"
    migrate(url)
    engine = make_engine(url)
    with serving(create_idp()) as idp:
        settings = Settings(database_url=url, var_dir=tmp_path / "var", oidc_issuer=idp)
        app = create_app(build_context(settings, engine=engine, catalog=catalog))
        with serving(app) as console:
            yield console, idp
    engine.dispose()


async def test_an_officer_signs_in_through_the_identity_provider(
    browser: Browser, site: tuple[str, str]
) -> None:
    console, _ = site
    context = await browser.new_context(base_url=console)
    try:
        page = await context.new_page()
        await page.goto("/desk")  # signed out: off to sign in, and back to the desk afterwards
        await page.get_by_role("link", name="Đăng nhập bằng tài khoản định danh").click()
        # The simulated provider's page: who signs in (it asks no password).
        await page.get_by_label("Officer id").fill("hoa")
        await page.get_by_label("Roles (space-separated)").fill("civil-status-officer chairman")
        await page.get_by_label("Agencies (space-separated)").fill("commune-pc")
        await page.get_by_role("button", name="Sign in").click()
        await expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ cần xử lý")
        assert urlparse(page.url).path == "/desk"
        await expect(page.locator(".who")).to_have_text("hoa")
        await expect(page.get_by_text("civil-status-officer, chairman")).to_be_visible()
    finally:
        await context.close()


def test_a_callback_with_another_state_or_a_reused_code_signs_nobody_in(
    site: tuple[str, str],
) -> None:
    console, _ = site
    with httpx.Client(base_url=console) as browser:
        to_provider = browser.get("/signin/oidc", params={"next": "/desk"})
        assert to_provider.status_code == 303
        authorize = urlparse(to_provider.headers["location"])
        asked = {k: v[0] for k, v in parse_qs(authorize.query).items()}
        assert asked["code_challenge_method"] == "S256" and asked["code_challenge"]
        assert asked["state"] and asked["nonce"]
        # The provider's page, answered as the officer would.
        form = {k: asked[k] for k in ("client_id", "redirect_uri", "state", "nonce")}
        form |= {"code_challenge": asked["code_challenge"], "kind": "officer", "sub": "lan"}
        form |= {"roles": "one-stop-officer", "agencies": "commune-pc"}
        provider = f"{authorize.scheme}://{authorize.netloc}"
        back = httpx.post(f"{provider}/authorize", data=form)
        code = parse_qs(urlparse(back.headers["location"]).query)["code"][0]

        forged = browser.get("/signin/callback", params={"code": code, "state": "forged"})
        assert forged.status_code == 400
        assert "Không đăng nhập được" in forged.text
        # The flow was spent by the forged callback: even the right state signs nobody in now.
        replay = browser.get("/signin/callback", params={"code": code, "state": asked["state"]})
        assert replay.status_code == 400
        assert browser.get("/desk").status_code == 303  # still signed out
