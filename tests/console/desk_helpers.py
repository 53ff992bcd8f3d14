"""Helpers of the desk's browser tests: a dossier filed through the API, an officer of several
roles signed in, the desk's pages waited for, and axe-core's serious findings."""

from __future__ import annotations

import asyncio
import json
import secrets
import uuid
from base64 import b64encode
from typing import Any

from axe_playwright_python.async_playwright import Axe
from itsdangerous import TimestampSigner
from playwright.async_api import Page

from motcua.api._claims import claims_of
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


async def sign_in_officer(page: Page, console: ApiStack, officer: Officer) -> None:
    """Sign ``officer`` in as the identity provider would name them (several roles at once,
    which no development identity has): the session cookie the console itself would set."""
    session = {
        "claims": claims_of(console.settings, officer),
        "csrf_token": secrets.token_urlsafe(),
    }
    data = b64encode(json.dumps(session).encode("utf-8"))
    signed = TimestampSigner(console.settings.console_session_key()).sign(data).decode("utf-8")
    await page.context.clear_cookies()
    await page.context.add_cookies(
        [{"name": "motcua_session", "value": signed, "url": console.url}]
    )


async def open_from_inbox(page: Page, code: str) -> None:
    """Wait for ``code``'s task in the inbox (the read model follows the engine), open it."""
    link = page.get_by_role("link", name=code)
    for _ in range(200):
        await page.goto("/desk")
        if await link.count():
            await link.click()
            await page.wait_for_load_state()
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"{code} never reached the inbox: {await page.content()}")


async def serious_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's serious and critical findings on the page as it is."""
    results = await Axe().run(page)
    found: list[dict[str, Any]] = results.response["violations"]
    return [v for v in found if v["impact"] in ("serious", "critical")]
