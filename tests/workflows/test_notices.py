"""Notices leave with the projection of the events they announce: no activity of their own while
the notification gateway answers, and sent again apart, once each, while it does not."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import httpx
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from motcua.definitions import Catalog
from tests.workflows.harness import Harness, misbehaving, running_worker

RESIDENCE = "1.004222"


def templates_sent(h: Harness, recipient: str) -> Counter[str]:
    sent = httpx.get(f"{h.sims['notify']}/_sim/messages", params={"recipient": recipient})
    return Counter(message["template"] for message in sent.raise_for_status().json())


async def local_activities(client: Client, workflow_id: str) -> Counter[str]:
    """The local activities a dossier's history records, by type."""
    history = await client.get_workflow_handle(workflow_id).fetch_history()
    markers = [
        event.marker_recorded_event_attributes.details["data"].payloads[0].data
        for event in history.events
        if event.event_type == EventType.EVENT_TYPE_MARKER_RECORDED
    ]
    return Counter(json.loads(marker)["activity_type"] for marker in markers)


async def test_notices_ride_with_the_projection(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    async with running_worker(dev_env, catalog, tmp_path) as h:
        dossier = await h.submit(RESIDENCE)
        finished = await h.complete_residence(dossier)
        await h.client.get_workflow_handle(dossier.workflow_id).result()
        sent = templates_sent(h, finished.dossier_code)
        markers = await local_activities(h.client, dossier.workflow_id)
    assert sent == {"receipt_slip": 1, "result_ready": 1}
    assert markers["motcua.notify"] == 0
    assert markers["motcua.project"] > 0


async def test_a_gateway_outage_holds_no_dossier_back_and_loses_no_notice(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    async with running_worker(dev_env, catalog, tmp_path) as h:
        dossier = await h.submit(RESIDENCE)
        with misbehaving(h, "notify", outage=True):
            await h.decide(dossier, "receive", "accept")
            # The dossier went on to its fee while its receipt slip could not be sent.
            waiting = await h.wait_status(dossier, "awaiting_payment")
            assert templates_sent(h, waiting.dossier_code) == {}
        finished = await h.complete_residence(dossier, from_step="fee")
        # The run ends once every notice has gone, each once.
        await h.client.get_workflow_handle(dossier.workflow_id).result()
        sent = templates_sent(h, finished.dossier_code)
        markers = await local_activities(h.client, dossier.workflow_id)
    assert sent == {"receipt_slip": 1, "result_ready": 1}
    assert markers["motcua.notify"] >= 1  # the slip, sent again apart


async def test_a_slow_gateway_is_answered_apart_and_the_notice_still_arrives_once(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    # 2.5 s an answer: well within the adapter's HTTP timeout, slower than the projection waits
    # (NOTICE_WAIT), so the officer who accepts is not held for it.
    async with running_worker(dev_env, catalog, tmp_path) as h:
        dossier = await h.submit(RESIDENCE)
        with misbehaving(h, "notify", latency_ms=2500):
            await h.decide(dossier, "receive", "accept")
            waiting = await h.wait_status(dossier, "awaiting_payment")
            finished = await h.complete_residence(dossier, from_step="fee")
            await h.client.get_workflow_handle(dossier.workflow_id).result()
        sent = templates_sent(h, waiting.dossier_code)
        markers = await local_activities(h.client, dossier.workflow_id)
    assert finished.dossier_code == waiting.dossier_code
    assert sent == {"receipt_slip": 1, "result_ready": 1}
    assert markers["motcua.notify"] >= 1  # sent apart, with the notice's own retries
