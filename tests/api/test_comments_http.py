"""Free text over HTTP: what officers and citizens write is kept in the comments table, shown on
the timeline to those who may read it, and never written to the event log or Temporal's history;
a decision keeps who decided (as the token asserted it, with its ``jti``) and why."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import jwt
from sqlalchemy import select
from temporalio.testing import WorkflowEnvironment

from motcua.definitions import Catalog
from motcua.engine import Dossier
from motcua.store import CommentRow, list_events
from tests.api.stack import OTHER_CITIZEN, ApiStack, api_stack

RESIDENCE = "1.004222"  # commune police: receive → verify → fee → review → sign → result
REASONS = "the household book photo is unreadable, page 2 has no commune stamp"
NOTE = "internal note: stamp checked against the 2019 register"
WITHDRAWAL = "we moved to another province"


def officer_token(api: ApiStack, officer: str, *, jti: str) -> dict[str, str]:
    """An officer's bearer token carrying a ``jti``, as an identity provider issues them."""
    now = datetime.now(UTC)
    claims = {
        "sub": officer,
        "kind": "officer",
        "roles": ["one-stop-officer"],
        "agencies": ["commune-police"],
        "iss": api.settings.jwt_issuer,
        "aud": api.settings.jwt_audience,
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(hours=1)).timestamp()),
        "jti": jti,
    }
    token = jwt.encode(claims, api.settings.token_key(), algorithm="HS256")
    return {"Authorization": f"Bearer {token}"}


async def until(call: Callable[[], Awaitable[httpx.Response]], status: int) -> httpx.Response:
    """Ask again while the read model has not caught up with the workflow (at most 20 s)."""
    deadline = asyncio.get_running_loop().time() + 20
    while True:
        response = await call()
        if response.status_code == status or asyncio.get_running_loop().time() > deadline:
            return response
        await asyncio.sleep(0.05)


async def decide(
    api: ApiStack, dossier: Dossier, step: str, headers: dict[str, str], **body: Any
) -> None:
    task = await api.h.task(dossier, step)
    url = f"/v1/tasks/{task.task_id}/decision"
    answer = await until(lambda: api.http.post(url, json=body, headers=headers), 200)
    assert answer.status_code == 200, answer.text


async def raw_history(api: ApiStack, dossier: Dossier, *, holds: str) -> bytes:
    """The workflow's history as Temporal stores it (payloads as their raw bytes); ``holds``,
    a value the history must carry, shows that a text would be found if it were there."""
    handle = api.h.client.get_workflow_handle(dossier.workflow_id)
    raw = b"".join(e.SerializeToString() for e in (await handle.fetch_history()).events)
    if api.h.client.data_converter.payload_codec is None:  # payloads in clear
        assert holds.encode() in raw
    return raw


async def timeline(api: ApiStack, code: str, headers: dict[str, str]) -> list[dict[str, Any]]:
    answer = await api.http.get(f"/v1/dossiers/{code}", headers=headers)
    assert answer.status_code == 200, answer.text
    lines: list[dict[str, Any]] = answer.json()["timeline"]
    return lines


def events_comment_id(api: ApiStack, code: str) -> str:
    """The comment id the dossier's first decision cites (its update carried it)."""
    with api.h.sessions() as session:
        decided = next(e for e in list_events(session, code) if e.type == "task.decided")
    comment_id: str = decided.data["comment_id"]
    return comment_id


def comment_of(lines: list[dict[str, Any]], event_type: str) -> str | None:
    comment: str | None = next(line for line in lines if line["type"] == event_type)["comment"]
    return comment


async def test_a_refusal_s_reasons_reach_the_citizen_but_not_the_log_nor_the_history(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    async with api_stack(dev_env, catalog, tmp_path) as api:
        dossier = await api.h.submit(RESIDENCE)
        alice = officer_token(api, "alice", jti="jti-refusal-1")
        await decide(api, dossier, "receive", alice, outcome="refuse", comment=REASONS)
        code = (await api.h.wait_status(dossier, "refused")).dossier_code
        for _ in range(400):
            if "dossier.refused" in api.h.events(code):
                break
            await asyncio.sleep(0.05)
        with api.h.sessions() as session:
            events = list_events(session, code)
            records = list(session.scalars(select(CommentRow)))
        as_citizen = await timeline(api, code, api.citizen())
        as_officer = await timeline(api, code, alice)
        stranger = await api.http.get(f"/v1/dossiers/{code}", headers=api.citizen(OTHER_CITIZEN))
        history = await raw_history(api, dossier, holds=events_comment_id(api, code))

    refused = next(e for e in events if e.type == "dossier.refused")
    decided = next(e for e in events if e.type == "task.decided")
    assert refused.data["reason_code"] == "officer_decision"
    assert refused.data["comment_id"] == decided.data["comment_id"] is not None
    assert all(REASONS not in e.model_dump_json() for e in events)
    assert REASONS.encode() not in history
    # The decision record: who, as the token said, the token's jti, and why.
    [record] = records
    assert record.comment_id == refused.data["comment_id"]
    assert (record.text, record.kind, record.author_kind) == (REASONS, "decision", "officer")
    assert (record.author_id, record.author_agencies) == ("alice", ["commune-police"])
    assert record.token_jti == "jti-refusal-1"
    # The reasons of a refusal are the citizen's to read; a stranger sees no dossier at all.
    assert comment_of(as_citizen, "dossier.refused") == REASONS
    assert comment_of(as_officer, "task.decided") == REASONS
    assert (
        "comment_id" not in next(e for e in as_citizen if e["type"] == "dossier.refused")["details"]
    )
    assert stranger.status_code == 404


async def test_a_withdrawal_reason_is_shown_to_its_citizen_and_an_officer_s_note_is_not(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    async with api_stack(dev_env, catalog, tmp_path) as api:
        dossier = await api.h.submit(RESIDENCE)
        lan = officer_token(api, "lan", jti="jti-accept-1")
        await decide(api, dossier, "receive", lan, outcome="accept", comment=NOTE)
        code = (await api.h.wait_status(dossier, "awaiting_payment")).dossier_code
        url = f"/v1/dossiers/{code}/withdrawal"
        theirs = await api.http.post(
            url, json={"reason": "not mine"}, headers=api.citizen(OTHER_CITIZEN)
        )
        withdrawn = await api.http.post(url, json={"reason": WITHDRAWAL}, headers=api.citizen())
        assert withdrawn.status_code == 200, withdrawn.text
        for _ in range(400):
            if "dossier.withdrawn" in api.h.events(code):
                break
            await asyncio.sleep(0.05)
        as_citizen = await timeline(api, code, api.citizen())
        as_officer = await timeline(api, code, lan)
        history = await raw_history(api, dossier, holds=events_comment_id(api, code))
        with api.h.sessions() as session:
            texts = sorted(t or "" for t in session.scalars(select(CommentRow.text)))

    assert theirs.status_code == 404
    assert texts == sorted([NOTE, WITHDRAWAL])  # nothing was stored on another's request
    assert comment_of(as_citizen, "dossier.withdrawn") == WITHDRAWAL
    assert comment_of(as_officer, "dossier.withdrawn") == WITHDRAWAL
    assert comment_of(as_officer, "task.decided") == NOTE
    assert all(line["comment"] != NOTE for line in as_citizen)  # an accept's words stay inside
    assert NOTE.encode() not in history and WITHDRAWAL.encode() not in history
