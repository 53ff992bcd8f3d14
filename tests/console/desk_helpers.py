"""Helpers of the desk's browser tests: a dossier filed through the API, an officer of several
roles signed in through the identity provider, the desk's pages waited for, and axe-core's
serious findings."""

from __future__ import annotations

import asyncio
import os
import uuid
from pathlib import Path
from typing import Any

from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Page

from motcua.services import Officer
from tests.api.stack import OWNER, ApiStack

BIRTH = "1.001193"  # at commune-pc: receive, verify, review, approve (four-eyes with review)
PDF = b"%PDF-1.7\nBirth declaration " + uuid.uuid4().bytes


async def file_birth_registration(console: ApiStack) -> str:
    """A birth registration filed by the harness's citizen through the JSON API; its code."""
    citizen = console.citizen()
    upload = await console.http.post(
        "/v1/documents", files={"file": ("declaration.pdf", PDF)}, headers=citizen
    )
    assert upload.status_code in (200, 201), upload.text
    body = {
        "procedure": BIRTH,
        "applicant": {"personal_id": OWNER, "full_name": "Nguyễn Thị Lan"},
        "documents": [{"id": "declaration", "sha256": upload.json()["sha256"]}],
    }
    key = {"Idempotency-Key": uuid.uuid4().hex}
    filed = await console.http.post("/v1/dossiers", json=body, headers=citizen | key)
    assert filed.status_code in (201, 202), filed.text
    submission = filed.json()
    for _ in range(400):
        if submission["dossier"] is not None:
            return str(submission["dossier"]["code"])
        await asyncio.sleep(0.05)
        answer = await console.http.get(
            f"/v1/submissions/{submission['workflow_id']}", headers=citizen
        )
        submission = answer.json()
    raise AssertionError(f"no dossier code: {submission}")


async def sign_in_at_provider(page: Page, officer: Officer) -> None:
    """Sign ``officer`` in through the identity provider (the simulator's page asks who), as an
    officer holding several roles at once, which no development identity does."""
    await page.context.clear_cookies()
    await page.goto("/signin")
    await page.get_by_role("link", name="Đăng nhập bằng tài khoản định danh").click()
    await page.get_by_label("Officer id").fill(officer.id)
    await page.get_by_label("Roles (space-separated)").fill(" ".join(officer.roles))
    await page.get_by_label("Agencies (space-separated)").fill(" ".join(officer.agencies))
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_load_state()


async def wait_in_inbox(page: Page, code: str) -> None:
    """Reload the inbox until ``code``'s task is listed (the read model follows the engine)."""
    for _ in range(200):
        await page.goto("/desk")
        if await page.get_by_role("link", name=code).count():
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"{code} never reached the inbox: {await page.content()}")


async def open_from_inbox(page: Page, code: str) -> None:
    """Wait for ``code``'s task in the inbox, and open the dossier from there."""
    await wait_in_inbox(page, code)
    await page.get_by_role("link", name=code).click()
    await page.wait_for_load_state()


async def serious_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's serious and critical findings on the page as it is."""
    results = await Axe().run(page)
    found: list[dict[str, Any]] = results.response["violations"]
    return [v for v in found if v["impact"] in ("serious", "critical")]


async def screenshot(page: Page, name: str) -> None:
    """Save the page as ``<name>.png`` in the directory ``MOTCUA_SCREENSHOTS`` names, to take the
    docs' pictures by hand (``MOTCUA_SCREENSHOTS=docs/console pytest tests/console/test_desk.py``);
    an ordinary run saves nothing."""
    directory = os.environ.get("MOTCUA_SCREENSHOTS")
    if directory:
        await page.set_viewport_size({"width": 1280, "height": 900})
        await page.screenshot(path=str(Path(directory) / f"{name}.png"), full_page=True)
