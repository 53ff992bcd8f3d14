"""``motcua audit anchor``: a day's root stamped by the timestamping simulator over HTTP, and
what it still proves once Temporal has forgotten a dossier."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from temporalio.api.common.v1 import WorkflowExecution
from temporalio.api.workflowservice.v1 import DeleteWorkflowExecutionRequest
from temporalio.service import RPCError, RPCStatusCode
from temporalio.testing import WorkflowEnvironment

from motcua.audit import Leaf, merkle_root
from motcua.definitions import Catalog
from motcua.settings import get_settings
from motcua.simulators import serving
from motcua.simulators.timestamping import create_app
from motcua.store import AnchorRow, list_events
from tests.audit import _tamper
from tests.audit.test_verify import audit, refused_dossier
from tests.workflows.harness import Harness, running_worker


@pytest.fixture
def tsa(cli_env: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The timestamping simulator on loopback, configured for the CLI."""
    with serving(create_app()) as url:
        monkeypatch.setenv("MOTCUA_AUDIT_TSA_URL", url)
        get_settings.cache_clear()
        yield url


async def forget(h: Harness, workflow_id: str) -> None:
    """Delete a closed workflow from Temporal, as its retention period would."""
    await h.client.workflow_service.delete_workflow_execution(
        DeleteWorkflowExecutionRequest(
            namespace=h.client.namespace,
            workflow_execution=WorkflowExecution(workflow_id=workflow_id),
        )
    )
    for _ in range(1200):  # deletion is asynchronous; generous on a loaded machine
        try:
            await h.client.get_workflow_handle(workflow_id).describe()
        except RPCError as error:
            if error.status == RPCStatusCode.NOT_FOUND:
                return
            raise
        await asyncio.sleep(0.05)
    raise AssertionError(f"{workflow_id} is still in Temporal")


def workflow_of(h: Harness, code: str) -> str:
    with h.sessions() as session:
        return list_events(session, code)[0].workflow_id


async def test_an_anchor_vouches_for_the_day_even_once_temporal_has_forgotten_it(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: object, tsa: str
) -> None:
    today = datetime.now(UTC).date().isoformat()
    async with running_worker(dev_env, catalog, tmp_path) as h:  # type: ignore[arg-type]
        kept, forgotten = await refused_dossier(h), await refused_dossier(h)

        # A broken chain is never anchored.
        _tamper.edit(h.sessions, kept, 2)
        code, lines = await audit("anchor", "--day", today)
        assert code == 1, lines
        assert lines[0] == (
            f"{kept}: first bad event seq 2: its content does not give its stored hash (edited)"
        )
        with h.sessions.begin() as session:  # the edit is undone
            session.execute(
                text("UPDATE events SET actor_id = 'system' WHERE dossier_code = :c AND seq = 2"),
                {"c": kept},
            )

        code, lines = await audit("anchor", "--day", today)
        assert code == 0, lines
        assert lines[0].startswith(f"anchor {today}: root ")
        assert lines[0].endswith("over 2 dossiers, stamped by motcua-tsa-simulator as TS-000001")
        code, lines = await audit("anchor", "--day", today)
        assert code == 1 and "anchored already" in lines[0], lines

        await forget(h, workflow_of(h, forgotten))
        code, lines = await audit("verify")
        assert code == 0, lines
        assert lines[-1] == (
            "intact: 2 dossiers, 1 anchors checked; "
            "1 no longer in Temporal, vouched for by the anchors"
        )

        # Rewritten with every hash recomputed: only the anchor can tell, and it does.
        _tamper.rewrite(h.sessions, forgotten, 3)
        code, lines = await audit("verify")
        assert code == 1, lines
        assert lines[0].startswith(f"{forgotten}: first bad event seq 1: chain rewritten")
        assert lines[0].endswith(f"differs from the anchor of {today}")

        # Forging the anchor's leaf and root as well breaks its timestamp receipt.
        with h.sessions.begin() as session:
            anchor = session.get(AnchorRow, datetime.fromisoformat(today).date())
            assert anchor is not None
            leaves = [Leaf.from_json(value) for value in anchor.leaves]
            last = list_events(session, forgotten)[-1]
            forged = [
                Leaf(leaf.workflow_id, leaf.seq, last.chain_hash or "")
                if leaf.workflow_id == last.workflow_id
                else leaf
                for leaf in leaves
            ]
            anchor.leaves = [leaf.as_json() for leaf in forged]
            anchor.root = merkle_root(forged)
        code, lines = await audit("verify")
        assert code == 1, lines
        assert lines == [
            f"anchor {today}: the receipt stamps another root",
            "tampered: 2 dossiers, 1 anchors checked; "
            "1 no longer in Temporal, vouched for by the anchors",
        ]
