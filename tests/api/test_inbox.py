"""The officer side over HTTP: the inbox scoped to the officer's token, most urgent first and
paged; claim, release and decide forwarded to the dossier's workflow, whose refusals come back as
409 (the dossier's state) or 422 (the command itself) with its message."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from temporalio.client import WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment

from motcua.definitions import Catalog
from motcua.dossier import Actor, DecisionInput
from motcua.engine import CommandRefused
from tests.api.stack import ApiStack, api_stack

RESIDENCE, BIRTH = "1.004222", "1.001193"  # at commune-police and at commune-pc


async def _until(
    call: Callable[[], Any], done: Callable[[httpx.Response], bool], timeout: float = 20
) -> httpx.Response:
    """Ask again until ``done``: the read model follows the workflows a moment later."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        response: httpx.Response = await call()
        if done(response) or asyncio.get_running_loop().time() > deadline:
            return response
        await asyncio.sleep(0.05)


async def _inbox(api: ApiStack, headers: dict[str, str], **params: Any) -> dict[str, Any]:
    response = await api.http.get("/v1/tasks", headers=headers, params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_inbox_scoped_most_urgent_first_paged_and_filtered(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path, store_url: str
) -> None:
    async with api_stack(dev_env, catalog, tmp_path, database_url=store_url) as api:
        first = await api.h.submit(RESIDENCE)
        second = await api.h.submit(RESIDENCE)
        birth = await api.h.submit(BIRTH)
        desk = api.officer(["one-stop-officer"], ["commune-police", "commune-pc"], id="lan")
        page = (
            await _until(
                lambda: api.http.get("/v1/tasks", headers=desk),
                lambda r: r.json()["total"] == 3,
            )
        ).json()
        statuses = [await api.h.wait_status(d, "awaiting_receipt") for d in (first, second, birth)]

        items = page["items"]
        assert page["total"] == 3 and page["next_offset"] is None
        # Birth registration's receipt is due in 2 working hours, residence's in 8.
        assert items[0]["dossier_code"] == statuses[2].dossier_code
        assert [i["due_at"] for i in items] == sorted(i["due_at"] for i in items)
        assert {i["dossier_code"] for i in items[1:]} == {s.dossier_code for s in statuses[:2]}
        residence = next(i for i in items if i["dossier_code"] == statuses[0].dossier_code)
        assert residence | {"task_id": None, "created_at": None, "due_at": None} == {
            "task_id": None,
            "dossier_code": statuses[0].dossier_code,
            "procedure": RESIDENCE,
            "step": "receive",
            "branch": None,
            "role": "one-stop-officer",
            "agency": "commune-police",
            "outcomes": ["accept", "request_supplement", "refuse"],
            "status": "open",
            "created_at": None,
            "due_at": None,
            "overdue": False,
            "claimed_by": None,
            "claimed_at": None,
            "outcome": None,
            "decided_by": None,
            "decided_at": None,
        }

        one = await _inbox(api, desk, limit=2)
        assert [i["task_id"] for i in one["items"]] == [i["task_id"] for i in items[:2]]
        assert (one["total"], one["next_offset"]) == (3, 2)
        two = await _inbox(api, desk, limit=2, offset=2)
        assert [i["task_id"] for i in two["items"]] == [items[2]["task_id"]]
        assert two["next_offset"] is None

        def ids(body: dict[str, Any]) -> list[str]:
            return [i["task_id"] for i in body["items"]]

        assert ids(await _inbox(api, desk, agency="commune-pc")) == [items[0]["task_id"]]
        assert ids(await _inbox(api, desk, procedure=RESIDENCE)) == ids(page)[1:]
        assert ids(await _inbox(api, desk, step="receive")) == ids(page)
        assert ids(await _inbox(api, desk, step="review")) == []
        assert ids(await _inbox(api, desk, role="one-stop-officer", status="open")) == ids(page)
        assert ids(await _inbox(api, desk, status="claimed")) == []
        due_first = await _inbox(api, desk, due_before=items[1]["due_at"])
        assert ids(due_first) == [items[0]["task_id"]]

        police_desk = api.officer(["one-stop-officer"], ["commune-police"])
        assert ids(await _inbox(api, police_desk)) == ids(page)[1:]
        elsewhere = api.officer(["one-stop-officer"], ["provincial-police"])
        assert (await _inbox(api, elsewhere))["total"] == 0
        reviewer = api.officer(["residence-officer"], ["commune-police"])
        assert (await _inbox(api, reviewer))["total"] == 0

        outside = await api.http.get("/v1/tasks?agency=commune-pc", headers=police_desk)
        assert outside.status_code == 403
        assert outside.json()["message"] == (
            "agency commune-pc is outside your token's scope; yours: commune-police"
        )
        not_held = await api.http.get("/v1/tasks?role=residence-officer", headers=police_desk)
        assert not_held.status_code == 403 and "role residence-officer" in not_held.text
        assert (await api.http.get("/v1/tasks", headers=api.citizen())).status_code == 403
        assert (await api.http.get("/v1/tasks")).status_code == 401
        assert (await api.http.get("/v1/tasks?limit=0", headers=desk)).status_code == 422
        assert (await api.http.get("/v1/tasks?limit=201", headers=desk)).status_code == 422

        task_url = f"/v1/tasks/{residence['task_id']}"
        shown = await api.http.get(task_url, headers=police_desk)
        assert shown.status_code == 200 and shown.json() == residence
        assert (await api.http.get(task_url, headers=elsewhere)).status_code == 404
        assert (await api.http.get(task_url, headers=reviewer)).status_code == 403
        for odd in ("%00", "a" * 300, "x/../y%20z"):
            assert (await api.http.get(f"/v1/tasks/{odd}", headers=desk)).status_code == 404
        nul = await api.http.get("/v1/tasks", headers=desk, params={"procedure": "1\x00"})
        assert nul.status_code == 422
        missing = await api.http.get("/v1/tasks/no-such-task", headers=desk)
        assert missing.status_code == 404
        assert missing.json() == {
            "code": "not_found",
            "message": "task no-such-task not found",
            "details": {},
        }


async def test_claim_release_and_decide_through_http(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    async with api_stack(dev_env, catalog, tmp_path) as api:
        dossier = await api.h.submit(RESIDENCE)
        alice = api.officer(["one-stop-officer"], ["commune-police"], id="alice")
        bob = api.officer(["one-stop-officer"], ["commune-police"], id="bob")
        page = await _until(
            lambda: api.http.get("/v1/tasks", headers=alice), lambda r: r.json()["total"] == 1
        )
        task_id = page.json()["items"][0]["task_id"]
        url = f"/v1/tasks/{task_id}"
        accept = {"outcome": "accept"}

        elsewhere = api.officer(["one-stop-officer"], ["provincial-police"])
        for path in ("/claim", "/release"):
            assert (await api.http.post(url + path, headers=elsewhere)).status_code == 404
        decided = await api.http.post(url + "/decision", headers=elsewhere, json=accept)
        assert decided.status_code == 404
        reviewer = api.officer(["residence-officer"], ["commune-police"])
        wrong_role = await api.http.post(url + "/claim", headers=reviewer)
        assert wrong_role.status_code == 403
        assert wrong_role.json()["message"] == (
            f"task {task_id} needs role one-stop-officer; your roles: residence-officer"
        )

        claimed = await api.http.post(url + "/claim", headers=alice)
        assert claimed.status_code == 200, claimed.text
        assert claimed.json()["claimed_by"] == "alice" and claimed.json()["status"] == "claimed"
        again = await api.http.post(url + "/claim", headers=alice)
        assert again.status_code == 200 and again.json()["claimed_by"] == "alice"
        listed = await _inbox(api, bob)
        assert [i["claimed_by"] for i in listed["items"]] == ["alice"]

        taken = await api.http.post(url + "/claim", headers=bob)
        assert taken.status_code == 409
        assert taken.json()["message"] == f"task {task_id} is claimed by officer alice"
        by_bob = await api.http.post(url + "/decision", headers=bob, json=accept)
        assert by_bob.status_code == 409 and "claimed by officer alice" in by_bob.text
        not_his = await api.http.post(url + "/release", headers=bob)
        assert not_his.status_code == 409
        assert not_his.json()["message"] == f"task {task_id} is not claimed by bob"

        # The engine says which kind of refusal it was: the validator's class reaches the client.
        status = await api.h.wait_status(dossier, "awaiting_receipt")
        actor = Actor(id="bob", role="one-stop-officer", agency="commune-police")
        with pytest.raises(CommandRefused) as conflict:
            await dossier.decide(DecisionInput(task_id=task_id, actor=actor, outcome="accept"))
        assert conflict.value.kind == "conflict" and conflict.value.conflict
        failure = conflict.value.__cause__
        assert isinstance(failure, WorkflowUpdateFailedError)
        assert isinstance(failure.cause, ApplicationError)
        assert failure.cause.type == "StateConflict"

        released = await api.http.post(url + "/release", headers=alice)
        assert released.status_code == 200
        assert released.json()["claimed_by"] is None and released.json()["status"] == "open"

        approve = await api.http.post(url + "/decision", headers=alice, json={"outcome": "approve"})
        assert approve.status_code == 422
        assert approve.json() == {
            "code": "refused",
            "message": "outcome 'approve' is not allowed at step receive; "
            "allowed: accept, request_supplement, refuse",
            "details": {"kind": "invalid"},
        }
        unlisted = {"outcome": "request_supplement", "missing_documents": ["passport_photo"]}
        refused = await api.http.post(url + "/decision", headers=alice, json=unlisted)
        assert refused.status_code == 422 and "not listed by procedure 1.004222" in refused.text
        from_database = {"outcome": "request_supplement", "missing_documents": ["relationship"]}
        refused = await api.http.post(url + "/decision", headers=alice, json=from_database)
        assert refused.status_code == 422 and "prohibited" in refused.text
        extra = await api.http.post(url + "/decision", headers=alice, json=accept | {"x": 1})
        assert extra.status_code == 422 and extra.json()["code"] == "invalid_request"

        answer = await api.http.post(url + "/decision", headers=alice, json=accept)
        assert answer.status_code == 200, answer.text
        assert answer.json()["dossier_code"] == status.dossier_code
        assert answer.json()["outcome"] == "accept"
        await api.h.wait_status(dossier, "awaiting_payment")
        emptied = await _until(
            lambda: api.http.get("/v1/tasks", headers=alice), lambda r: r.json()["total"] == 0
        )
        assert emptied.json()["items"] == []
        shown = (await api.http.get(url, headers=bob)).json()
        assert (shown["status"], shown["outcome"], shown["decided_by"]) == (
            "decided",
            "accept",
            "alice",
        )
        twice = await api.http.post(url + "/decision", headers=alice, json=accept)
        assert twice.status_code == 409
        assert twice.json()["message"] == f"task {task_id} was already decided: accept by alice"
        assert (await api.http.post(url + "/claim", headers=alice)).status_code == 409


async def test_four_eyes_refused_then_the_dossier_completes(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    async with api_stack(dev_env, catalog, tmp_path) as api:
        dossier = await api.h.submit(RESIDENCE)
        await api.h.decide(dossier, "receive", "accept")
        await api.h.pay(dossier)
        dung = api.officer(["residence-officer", "police-chief"], ["commune-police"], id="dung")
        chief = api.officer(["police-chief"], ["commune-police"], id="chief")

        async def decide(headers: dict[str, str], step: str, outcome: str) -> httpx.Response:
            found = await _until(
                lambda: api.http.get(f"/v1/tasks?step={step}", headers=headers),
                lambda r: r.json()["total"] == 1,
            )
            task_id = found.json()["items"][0]["task_id"]
            url = f"/v1/tasks/{task_id}/decision"
            return await api.http.post(url, headers=headers, json={"outcome": outcome})

        assert (await decide(dung, "review", "approve")).status_code == 200
        same = await decide(dung, "sign", "approve")
        assert same.status_code == 422
        assert same.json()["message"] == (
            "four-eyes rule: officer dung decided step review and may not also decide step sign"
        )
        assert (await decide(chief, "sign", "approve")).status_code == 200
        await api.h.wait_status(dossier, "completed")
