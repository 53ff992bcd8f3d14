"""Agency systems misbehaving, and agencies running their own workers: dossiers wait, resume,
lose nothing and pay no fee twice."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
from structlog.testing import capture_logs
from temporalio.testing import WorkflowEnvironment

from adapters import AdaptersConfig
from motcua.definitions import Catalog
from motcua.simulators import adapters_config
from motcua.store import list_events
from tests.workflows.harness import (
    agency_worker,
    misbehaving,
    pending_attempts,
    running_worker,
)

RESIDENCE = "1.004222"  # commune police
JUDICIAL_RECORD = "2.000488"  # provincial police, consulting the provincial court's system
BIRTH = "1.001193"  # commune people's committee, verified against the population database


async def eventually(check, timeout: float = 20) -> None:  # type: ignore[no-untyped-def]
    deadline = asyncio.get_running_loop().time() + timeout
    while not await check():
        assert asyncio.get_running_loop().time() < deadline, f"never true: {check.__name__}"
        await asyncio.sleep(0.1)


async def test_payment_outage_makes_dossiers_wait_and_charges_each_fee_once(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    async with running_worker(dev_env, catalog, tmp_path) as h:
        dossiers = [await h.submit(RESIDENCE) for _ in range(3)]
        with misbehaving(h, "payment", outage=True):
            for dossier in dossiers:
                await h.decide(dossier, "receive", "accept")

            async def all_retrying() -> bool:
                attempts = [
                    await pending_attempts(h.client, d.workflow_id, "motcua.request_payment")
                    for d in dossiers
                ]
                return min(attempts) >= 2

            await eventually(all_retrying)
            for dossier in dossiers:
                status = await dossier.status()
                assert status.status == "awaiting_payment"
                assert "fee.requested" not in h.events(status.dossier_code)
        # The platform is back: every request goes through once, then each fee is paid once.
        finished = []
        for dossier in dossiers:
            await h.pay(dossier)
            finished.append(await h.complete_residence(dossier, from_step="review"))
        platform = h.sims["payment"]
        fees = [
            httpx.get(f"{platform}/v1/payment-requests/{status.dossier_code}-FEE").json()
            for status in finished
        ]
    assert [len(fee["payments"]) for fee in fees] == [1, 1, 1]
    assert {fee["amount"] for fee in fees} == {10_000}
    for status in finished:
        events = h.events(status.dossier_code)
        assert events.count("fee.requested") == 1
        assert events.count("fee.paid") == 1


async def test_unknown_citizen_is_refused_with_the_reason_without_retrying(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    async with running_worker(dev_env, catalog, tmp_path) as h:
        dossier = await h.submit(BIRTH, applicant=h.applicant(personal_id="001203004000"))
        await h.decide(dossier, "receive", "accept")
        status = await h.wait_status(dossier, "refused")
    history = await h.client.get_workflow_handle(dossier.workflow_id).fetch_history()
    attempts = [
        e.activity_task_started_event_attributes.attempt
        for e in history.events
        if e.HasField("activity_task_started_event_attributes")
    ]
    assert attempts and max(attempts) == 1  # an answer, not a retry loop
    events = h.events(status.dossier_code)
    assert events[-2:] == ["verification.failed", "dossier.refused"]
    with h.sessions() as session:
        refusal = list_events(session, status.dossier_code)[-1]
    assert refusal.data["reason_code"] == "verification_failed"


async def test_transient_population_outage_is_retried_until_it_answers(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    async with running_worker(dev_env, catalog, tmp_path) as h:
        dossier = await h.submit(BIRTH)
        with misbehaving(h, "population", outage=True):
            await h.decide(dossier, "receive", "accept")

            async def retried() -> bool:
                attempts = await pending_attempts(
                    h.client, dossier.workflow_id, "motcua.verify_applicant"
                )
                return attempts >= 2

            await eventually(retried)
            assert (await dossier.status()).status == "verifying"
        status = await h.task(dossier, "review")
        assert status.step_id == "review"


async def test_a_misconfigured_adapter_alerts_and_the_dossier_waits_for_the_fix(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    def wrong(sims: dict[str, str]) -> AdaptersConfig:
        # The commune's population adapter points at the portal: every call is a bare 404.
        right = adapters_config(sims).model_dump()
        population = {"plugin": "http", "base_url": sims["portal"]}
        return AdaptersConfig.model_validate(
            {**right, "agencies": {"commune-pc": {"population": population}}}
        )

    async with running_worker(
        dev_env, catalog, tmp_path, configure=wrong, separate_agencies=["commune-pc"]
    ) as h:
        dossier = await h.submit(BIRTH)
        await h.decide(dossier, "receive", "accept")
        with capture_logs() as logs:
            async with agency_worker(h, "commune-pc"):

                async def retried() -> bool:
                    attempts = await pending_attempts(
                        h.client, dossier.workflow_id, "motcua.verify_applicant"
                    )
                    return attempts >= 2

                await eventually(retried)
        alerts = [entry for entry in logs if entry["event"] == "adapter.misconfigured"]
        assert alerts and alerts[0]["log_level"] == "error"
        assert (await dossier.status()).status == "verifying"  # waiting, not refused
        # The operator fixes the settings and restarts the commune's worker.
        h.adapters_config = adapters_config(h.sims)
        async with agency_worker(h, "commune-pc"):
            await h.task(dossier, "review")


async def test_an_agency_worker_down_holds_only_that_agencys_steps(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    async with running_worker(
        dev_env, catalog, tmp_path, separate_agencies=["provincial-court"]
    ) as h:
        judicial = await h.submit(JUDICIAL_RECORD)
        residence = await h.submit(RESIDENCE)
        await h.decide(judicial, "receive", "accept")
        await h.pay(judicial)
        await h.decide(judicial, "checks", "agree", officer="commune-police-officer")
        # Other agencies go on: a whole residence registration completes meanwhile.
        await h.complete_residence(residence)
        status = await judicial.status()
        assert status.status == "in_consultation"
        assert status.waiting_for == "system@provincial-court: court_records"
        assert "consultation.delivered" not in h.events(status.dossier_code)

        async with agency_worker(h, "provincial-court"):
            await h.decide(judicial, "review", "approve", officer="records")
        await h.decide(judicial, "sign", "approve", officer="director")
        done = await h.wait_status(judicial, "completed")
    events = h.events(done.dossier_code)
    assert events.count("consultation.delivered") == 1
    assert events.count("consultation.replied") == 2
