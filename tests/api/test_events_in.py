"""Events in through the API: signed payment callbacks, pushed consultation replies, population
changes. Each reaches the dossiers it concerns, and a forged, replayed or misaddressed one changes
nothing."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from contextlib import ExitStack
from datetime import UTC, date, datetime
from pathlib import Path

import httpx
from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from temporalio.testing import WorkflowEnvironment

from adapters import AdaptersConfig
from adapters.payment import PaymentConfirmation
from adapters.signing import SIGNATURE_HEADER, signed_headers
from motcua.definitions import Catalog
from motcua.dossier import ConsultationReplied, DossierRefused, PopulationChanged
from motcua.engine import Dossier
from motcua.settings import DEV_CALLBACK_KEY
from motcua.simulators import adapters_config, serving
from motcua.simulators.payment import pay_fee
from motcua.store import CallbackNonceRow, list_events
from tests.api.stack import OTHER_CITIZEN, OWNER, ApiStack, api_stack
from tests.workflows.harness import misbehaving

RESIDENCE = "1.004222"  # commune police: receive → verify → fee → review → sign → result
JUDICIAL_RECORD = "2.000488"  # consults the provincial court's system


async def eventually(check: Callable[[], bool], timeout: float = 20) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not check():
        assert asyncio.get_running_loop().time() < deadline, f"never true: {check}"
        await asyncio.sleep(0.05)


async def awaiting_fee(api: ApiStack, applicant: str = OWNER) -> tuple[Dossier, str]:
    """A residence dossier accepted and waiting for its fee, which the read model knows."""
    h = api.h
    dossier = await h.submit(RESIDENCE, applicant=h.applicant(personal_id=applicant))
    await h.decide(dossier, "receive", "accept")
    code = (await h.wait_status(dossier, "awaiting_payment")).dossier_code
    await eventually(lambda: "fee.requested" in h.events(code))
    return dossier, code


def signed(
    body: bytes,
    *,
    key: str = DEV_CALLBACK_KEY,
    now: float | None = None,
    path: str = "/v1/callbacks/payment",
) -> dict[str, str]:
    return {"Content-Type": "application/json", **signed_headers(key, body, now=now, path=path)}


async def test_the_platforms_signed_callback_moves_the_dossier_past_the_fee(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path, store_url: str
) -> None:
    async with api_stack(dev_env, catalog, tmp_path, database_url=store_url) as api:
        dossier, code = await awaiting_fee(api)
        # The citizen pays at the platform; the platform calls back, signed, by itself.
        paid = await pay_fee(api.h.sims["payment"], f"{code}-FEE", transaction_id="TX-1")
        await api.h.task(dossier, "review")
        body = paid.model_dump_json().encode()
        # The same payment delivered again with a fresh nonce: accepted, counted once.
        headers = signed(body)
        again = await api.http.post("/v1/callbacks/payment", content=body, headers=headers)
        assert again.status_code == 200, again.text
        assert again.json() == {"accepted": True, "dossier_code": code}
        # The very same signed request a second time is a replay.
        replay = await api.http.post("/v1/callbacks/payment", content=body, headers=headers)
        assert replay.status_code == 409
        assert replay.json()["code"] == "replayed"
        status = await dossier.status()  # answered after the workflow took the signals in
        fee = httpx.get(f"{api.h.sims['payment']}/v1/payment-requests/{code}-FEE").json()
    assert status.paid and not status.refunded
    events = api.h.events(code)
    assert events.count("fee.paid") == 1
    assert "fee.duplicate" not in events and "fee.refunded" not in events
    assert [p["transaction_id"] for p in fee["payments"]] == ["TX-1"]


class LostAnswers:
    """Between the engine's payment adapter and the platform: forwards every request, and while
    :attr:`losing`, drops the platform's answer and says 503 — a network cut after the platform
    accepted. The fee request then exists at the platform, and the citizen can pay it, while the
    engine retries and has recorded no ``fee.requested``."""

    def __init__(self, platform: str) -> None:
        self.losing = True
        self.app = FastAPI()

        @self.app.api_route("/{path:path}", methods=["GET", "POST"])
        async def forward(path: str, request: Request) -> Response:
            async with httpx.AsyncClient() as http:
                answer = await http.request(
                    request.method,
                    f"{platform}/{path}",
                    content=await request.body(),
                    headers={"Content-Type": request.headers.get("content-type", "")},
                )
            if self.losing:
                return JSONResponse({"code": "outage", "message": "answer lost"}, status_code=503)
            return Response(answer.content, answer.status_code, media_type="application/json")


async def test_a_payment_made_before_the_engine_recorded_its_fee_request_is_accepted(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    proxies = ExitStack()
    cut: LostAnswers | None = None

    def through_the_cut(sims: dict[str, str]) -> AdaptersConfig:
        nonlocal cut
        cut = LostAnswers(sims["payment"])
        return adapters_config({**sims, "payment": proxies.enter_context(serving(cut.app))})

    with proxies:
        async with api_stack(dev_env, catalog, tmp_path, configure=through_the_cut) as api:
            h = api.h
            dossier = await h.submit(RESIDENCE)
            await h.decide(dossier, "receive", "accept")
            code = (await h.wait_status(dossier, "awaiting_payment")).dossier_code
            # The citizen pays as soon as the platform holds the request; it calls back, signed.
            paid = await pay_fee(h.sims["payment"], f"{code}-FEE", transaction_id="TX-1")
            body = paid.model_dump_json().encode()
            answer = await api.http.post(
                "/v1/callbacks/payment", content=body, headers=signed(body)
            )
            # Still the window the fault was in. Read off the loop: the API serves on it, and
            # the platform's own callback may hold the write lock until its signal is sent.
            assert "fee.requested" not in await asyncio.to_thread(h.events, code)
            assert answer.status_code == 200, answer.text
            assert answer.json() == {"accepted": True, "dossier_code": code}
            assert cut is not None
            cut.losing = False  # the engine's retry now gets the platform's first order
            await h.task(dossier, "review", timeout=60)
            status = await dossier.status()
    assert status.paid and not status.refunded
    events = h.events(code)
    assert events.count("fee.requested") == 1 and events.count("fee.paid") == 1
    assert "fee.duplicate" not in events and "fee.refunded" not in events


async def test_forged_stale_and_misaddressed_callbacks_change_nothing(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    async with api_stack(dev_env, catalog, tmp_path) as api:
        dossier, code = await awaiting_fee(api)
        payment = PaymentConfirmation(
            reference=f"{code}-FEE",
            transaction_id="TX-FORGED",
            amount=10_000,
            paid_at=datetime.now(UTC),
        )
        body = payment.model_dump_json().encode()
        tampered = body.replace(b"10000", b"10")
        attempts = {
            "tampered body": (tampered, signed(body)),
            "wrong key": (body, signed(body, key="someone-else-s-key-of-32-characters")),
            "stale timestamp": (body, signed(body, now=time.time() - 3600)),
            "unsigned": (body, {"Content-Type": "application/json"}),
            "signed for another endpoint": (body, signed(body, path="/v1/agency-events")),
        }
        for what, (content, headers) in attempts.items():
            answer = await api.http.post("/v1/callbacks/payment", content=content, headers=headers)
            assert answer.status_code == 401, what
            assert answer.json()["code"] == "bad_signature", what
        # A signature header the platform never sends (non-ASCII) is unsigned too, not a crash.
        non_ascii = [
            (k.encode(), v.encode()) for k, v in signed(body).items() if k != SIGNATURE_HEADER
        ]
        non_ascii.append((SIGNATURE_HEADER.encode(), "é".encode() * 32))
        answer = await api.http.post("/v1/callbacks/payment", content=body, headers=non_ascii)
        assert answer.status_code == 401, answer.text
        assert answer.json()["code"] == "bad_signature"
        unknown = payment.model_copy(update={"reference": "000.00.00.X00-000000-0000-FEE"})
        unknown_body = unknown.model_dump_json().encode()
        answer = await api.http.post(
            "/v1/callbacks/payment", content=unknown_body, headers=signed(unknown_body)
        )
        assert answer.status_code == 404
        foreign = payment.model_copy(update={"reference": "ORDER-42"}).model_dump_json().encode()
        answer = await api.http.post(
            "/v1/callbacks/payment", content=foreign, headers=signed(foreign)
        )
        assert answer.status_code == 404
        garbage = b'{"reference": 1}'
        answer = await api.http.post(
            "/v1/callbacks/payment", content=garbage, headers=signed(garbage)
        )
        assert answer.status_code == 422
        status = await dossier.status()
        with api.h.sessions() as session:
            nonces = session.query(CallbackNonceRow).count()
    assert status.status == "awaiting_payment" and not status.paid
    assert "fee.paid" not in api.h.events(code)
    assert nonces == 0  # refused callbacks used up no nonce


async def test_a_death_closes_the_applicants_open_dossiers_only(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    async with api_stack(dev_env, catalog, tmp_path) as api:
        h = api.h
        done = await h.submit(RESIDENCE)
        await h.complete_residence(done)
        paid, paid_code = await awaiting_fee(api)
        await pay_fee(h.sims["payment"], f"{paid_code}-FEE", transaction_id="TX-9")
        await h.task(paid, "review")
        others, others_code = await awaiting_fee(api, applicant=OTHER_CITIZEN)
        change = httpx.post(
            f"{h.sims['population']}/_sim/changes",
            json={"personal_id": OWNER, "kind": "died", "effective_on": "2026-01-12"},
        ).json()
        population = api.service("population-db", ["population"])
        refused = await api.http.post(
            "/v1/population/changes", json=[change], headers=api.service("x", ["consultation"])
        )
        assert refused.status_code == 403
        # The scope is not enough: only the configured population system may post.
        impostor = api.service("portal-1", ["population"])
        refused = await api.http.post("/v1/population/changes", json=change, headers=impostor)
        assert refused.status_code == 403
        assert "MOTCUA_POPULATION_SERVICE_ID" in refused.json()["message"]
        assert "population.changed" not in h.events(paid_code)
        answer = await api.http.post("/v1/population/changes", json=change, headers=population)
        assert answer.status_code == 200, answer.text
        # Acknowledged by cursor; the answer names no dossier of the citizen.
        assert answer.json() == {"changes": [{"cursor": change["cursor"]}]}
        status = await h.wait_status(paid, "refused")
        await eventually(lambda: "fee.refunded" in h.events(paid_code))
        assert (await others.status()).status == "awaiting_payment"
        assert (await done.status()).status == "completed"
        with h.sessions() as session:
            timeline = list_events(session, paid_code)
    assert status.refunded and not status.open_tasks
    types = [e.type for e in timeline]
    assert "population.changed" in types and "task.cancelled" in types
    refusal = next(e for e in timeline if isinstance(e, DossierRefused))
    assert (refusal.reason_code, refusal.effective_on) == ("applicant_died", date(2026, 1, 12))
    assert "population.changed" not in h.events(others_code)


async def test_a_move_is_recorded_once_and_the_dossier_goes_on(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    async with api_stack(dev_env, catalog, tmp_path) as api:
        h = api.h
        dossier, code = await awaiting_fee(api)
        await pay_fee(h.sims["payment"], f"{code}-FEE", transaction_id="TX-2")
        await h.task(dossier, "review")
        change = httpx.post(
            f"{h.sims['population']}/_sim/changes",
            json={
                "personal_id": OWNER,
                "kind": "moved",
                "effective_on": "2026-01-12",
                "facts": {"line": "12 Hàng Bạc", "commune": "Hoàn Kiếm", "province": "Hà Nội"},
            },
        ).json()
        population = api.service("population-db", ["population"])
        for _ in range(2):  # delivered twice: recorded once
            answer = await api.http.post("/v1/population/changes", json=change, headers=population)
            assert answer.status_code == 200
            assert answer.json() == {"changes": [{"cursor": change["cursor"]}]}
        await eventually(lambda: "population.changed" in h.events(code))
        status = await dossier.status()
        assert status.status == "in_review"
        assert status.waiting_for is not None
        assert "population record changed: moved on 2026-01-12" in status.waiting_for
        await h.complete_residence(dossier, from_step="review")
        with h.sessions() as session:
            timeline = list_events(session, code)
    moves = [e for e in timeline if isinstance(e, PopulationChanged)]
    assert len(moves) == 1
    assert (moves[0].kind, moves[0].effective_on) == ("moved", date(2026, 1, 12))
    assert moves[0].facts == ["commune", "line", "province"]  # names, not the address


async def test_a_pushed_consultation_reply_finishes_the_system_answered_branch(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    async with api_stack(dev_env, catalog, tmp_path) as api:
        h = api.h
        dossier = await h.submit(JUDICIAL_RECORD)
        await h.decide(dossier, "receive", "accept")
        code = (await h.wait_status(dossier, "awaiting_payment")).dossier_code
        reference = f"{code}/checks.court_records"
        url = f"/v1/consultations/{reference}/reply"
        reply = {"outcome": "object", "comment": "one judgment on file", "officer": "clerk-7"}
        reply["replied_at"] = datetime.now(UTC).isoformat()
        court = api.service("court-records", ["consultation"], ["provincial-court"])
        # The court's system cannot be polled (down); it pushes its reply instead.
        with misbehaving(h, "agency", outage=True):
            await pay_fee(h.sims["payment"], f"{code}-FEE", transaction_id="TX-3")
            await h.task(dossier, "checks")
            wrong_scope = api.service("court-records", ["population"], ["provincial-court"])
            wrong_agency = api.service("police", ["consultation"], ["commune-police"])
            assert (await api.http.post(url, json=reply, headers=wrong_scope)).status_code == 403
            assert (await api.http.post(url, json=reply, headers=wrong_agency)).status_code == 404
            for other in (f"{code}/checks.residence_check", f"{code}/checks.nope", "nope/x.y"):
                answer = await api.http.post(
                    f"/v1/consultations/{other}/reply", json=reply, headers=court
                )
                assert answer.status_code == 404, other
            answer = await api.http.post(url, json=reply, headers=court)
            assert answer.status_code == 200, answer.text
            assert answer.json()["dossier_code"] == code
            again = await api.http.post(url, json=reply, headers=court)
            assert again.status_code == 409
            assert again.json()["code"] == "not_waiting"
        status = await dossier.status()
        assert status.waiting_for == "officer: residence-officer@commune-police"
        await h.decide(dossier, "checks", "agree", officer="commune-police-officer")
        await h.task(dossier, "review")
        with h.sessions() as session:
            events = list_events(session, code)
        # An officer of the dossier's own agency (a consulted agency's access ends with its reply).
        officer = api.officer(["one-stop-officer"], ["provincial-police"])
        as_officer = (await api.http.get(f"/v1/dossiers/{code}", headers=officer)).json()
        as_citizen = (await api.http.get(f"/v1/dossiers/{code}", headers=api.citizen())).json()
    replies = [e for e in events if isinstance(e, ConsultationReplied)]
    court_reply = next(e for e in replies if e.branch == "court_records")
    assert court_reply.outcome == "object" and court_reply.actor_id == "clerk-7"
    assert court_reply.via == "push" and court_reply.comment_id is not None
    assert "one judgment on file" not in court_reply.model_dump_json()  # the log cites it only
    assert len(replies) == 2
    # The agency's answer is served to the dossier's officers, never to the citizen.
    shown = [e for e in as_officer["timeline"] if e["details"].get("branch") == "court_records"]
    assert [e["comment"] for e in shown if e["type"] == "consultation.replied"] == [
        "one judgment on file"
    ]
    assert all(e["comment"] is None for e in as_citizen["timeline"])
